import { randomBytes } from 'node:crypto';
import { CE_HEADERS, EventEnvelope, makeEnvelope, TOPICS, toWireMessage } from '@fleetjobs/contracts';
import { waitFor } from '@fleetjobs/testing';
import { DISPATCHER_SCHEMA } from './dispatcher.schema';
import { DispatcherOnKafka, SeenEvent, startDispatcherOnKafka } from './testing/dispatcher-kafka.harness';

const INTAKE_GROUP = 'dispatcher.intake';
const REBOOT = { type: 'command' as const, name: 'reboot', value: { delay: 0 } };

const envelope = <T>(type: string, jobId: string, data: T, source = '/fleetjobs/job-command') =>
  makeEnvelope({ type, version: 1, source, subject: jobId, now: new Date(), data });
const jobCreated = (jobId: string) =>
  envelope('JobCreated', jobId, {
    jobId,
    displayName: 'Reboot',
    description: '',
    deviceSet: 'vms',
    devices: null,
    operations: [REBOOT],
    template: 'vm',
    createdAt: new Date().toISOString(),
  });
const targetsResolved = (jobId: string, chunk: number, deviceIds: string[]) =>
  envelope('JobTargetsResolved', jobId, { jobId, chunk, devices: deviceIds.map((deviceId) => ({ deviceId, displayName: deviceId })) }, '/fleetjobs/device-set');
const targetingCompleted = (jobId: string, total: number, chunks: number) =>
  envelope('JobTargetingCompleted', jobId, { jobId, total, chunks }, '/fleetjobs/device-set');
const deviceIds = (prefix: string, count: number) => Array.from({ length: count }, (_, index) => `${prefix}-${index}`);

/**
 * The dispatcher as deployed: its own PostgreSQL database (with job-command's job-control table),
 * the real Kafka broker in a namespace of this file's own, and the hub simulator reached through
 * the azure-iothub SDK. Job-command and device-set are played by publishing their events.
 */
describe('dispatcher on Kafka, PostgreSQL and the hub simulator', () => {
  let dispatcher: DispatcherOnKafka;
  const run = randomBytes(3).toString('hex');

  beforeAll(async () => {
    dispatcher = await startDispatcherOnKafka({ concurrency: 16, commandTimeoutMs: 10_000, idlePollMs: 50 });
  }, 240_000);
  afterAll(async () => {
    await dispatcher?.close();
  });

  const seed = async (ids: string[]) => {
    expect(await dispatcher.hub.admin.seedDevices(ids.map((deviceId) => ({ deviceId })))).toBe(ids.length);
  };
  const untilFinished = async (jobId: string): Promise<SeenEvent> => {
    await waitFor(`JobDispatchFinished of ${jobId}`, () => dispatcher.eventsOf(jobId, 'JobDispatchFinished').length > 0, 90_000, 50);
    return dispatcher.eventsOf(jobId, 'JobDispatchFinished')[0];
  };
  /** Waits until the dispatcher's intake has handled the last delivery of `event`. */
  const untilHandled = async (event: EventEnvelope) => {
    const deliveries = () => dispatcher.lifecycleSeen.filter((seen) => seen.envelope.id === event.id);
    await waitFor(`${event.type} ${event.id} on the lifecycle topic`, () => deliveries().length > 0, 45_000, 50);
    const last = deliveries()[deliveries().length - 1].message;
    await waitFor(`the intake to handle ${event.type} at offset ${last.offset}`, () => dispatcher.handledPast(INTAKE_GROUP, last), 45_000, 100);
  };
  const methodsOn = async (ids: string[]) => {
    const wanted = new Set(ids);
    return (await dispatcher.hub.admin.operations({ kind: 'method', limit: 10_000 })).filter((operation) => wanted.has(operation.deviceId));
  };
  const operationStatuses = async (jobId: string): Promise<Record<string, number>> =>
    Object.fromEntries(
      (
        await dispatcher.dataSource.query(
          `SELECT status, count(*)::int AS n FROM ${DISPATCHER_SCHEMA}.operations WHERE job_id = $1 GROUP BY status`,
          [jobId],
        )
      ).map((row: { status: string; n: number }) => [row.status, row.n]),
    );
  const outcomesOf = (jobId: string) =>
    dispatcher.eventsOf(jobId).filter((event) => event.envelope.type === 'DeviceSucceeded' || event.envelope.type === 'DeviceFailed');

  it('reaches each of 30 devices in two chunks once, publishes their outcomes and one JobDispatchFinished; a chunk delivered twice adds nothing', async () => {
    const jobId = `thirty-${run}`;
    const devices = deviceIds(`vm-${run}`, 30);
    await seed(devices);
    const first = targetsResolved(jobId, 0, devices.slice(0, 15));
    const second = targetsResolved(jobId, 1, devices.slice(15));
    await dispatcher.publish(jobCreated(jobId), first, first, second, targetingCompleted(jobId, 30, 2));

    const finished = await untilFinished(jobId);
    expect(finished.message.key).toBe(jobId);
    expect(finished.message.headers[CE_HEADERS.source]).toBe('/fleetjobs/dispatcher');
    expect(finished.envelope.data).toMatchObject({ jobId, completed: 30, failed: 0, notStarted: 0 });
    await waitFor('30 device outcomes', () => outcomesOf(jobId).length >= 30, 30_000, 50);
    const outcomes = outcomesOf(jobId);
    expect(outcomes.map((event) => event.envelope.type)).toEqual(Array(30).fill('DeviceSucceeded'));
    expect(outcomes.map((event) => event.envelope.data.deviceId).sort()).toEqual([...devices].sort());
    expect(outcomes.every((event) => event.message.key === jobId && event.message.headers[CE_HEADERS.specVersion] === '1.0')).toBe(true);
    const methods = await methodsOn(devices);
    expect(methods.map((operation) => operation.deviceId).sort()).toEqual([...devices].sort());
    expect(methods.every((operation) => operation.name === 'reboot')).toBe(true);

    // The first chunk again, after the job finished, as a redelivery after a crash would bring it.
    await dispatcher.publish(first);
    await untilHandled(first);
    // Counted in the transaction that handled the chunk: a re-added or reopened device shows here at once.
    expect(await operationStatuses(jobId)).toEqual({ completed: 30 });
    expect(await methodsOn(devices)).toHaveLength(30);
    expect(outcomesOf(jobId)).toHaveLength(30);
    expect(dispatcher.eventsOf(jobId, 'JobDispatchFinished')).toHaveLength(1);
  });

  it('sends nothing to the devices of a job halted in job_control before its targets arrive, and reports them not started', async () => {
    const jobId = `halted-${run}`;
    const devices = deviceIds(`halted-vm-${run}`, 8);
    await seed(devices);
    await dispatcher.jobControl.halt(dispatcher.dataSource, jobId, 'stopped by a user');

    await dispatcher.publish(jobCreated(jobId), targetsResolved(jobId, 0, devices), targetingCompleted(jobId, devices.length, 1));

    const finished = await untilFinished(jobId);
    expect(finished.envelope.data).toMatchObject({ jobId, completed: 0, failed: 0, notStarted: devices.length });
    expect(await methodsOn(devices)).toEqual([]);
    expect(outcomesOf(jobId)).toEqual([]);
  });

  it('dead-letters an intake event whose data cannot be read, and the next job still completes', async () => {
    const poisoned = `poisoned-${run}`;
    const bad = targetsResolved(poisoned, 0, []);
    const wire = toWireMessage(TOPICS.jobs, bad);
    await dispatcher.publishRaw({ key: wire.key, headers: wire.headers, value: JSON.stringify({ jobId: poisoned, chunk: 0, devices: 'all of them' }) });

    const jobId = `after-poison-${run}`;
    const devices = deviceIds(`next-vm-${run}`, 4);
    await seed(devices);
    await dispatcher.publish(jobCreated(jobId), targetsResolved(jobId, 0, devices), targetingCompleted(jobId, devices.length, 1));

    const finished = await untilFinished(jobId);
    expect(finished.envelope.data).toMatchObject({ jobId, completed: 4, failed: 0, notStarted: 0 });
    const letters = await dispatcher.dataSource.query(
      `SELECT consumer_group, topic, headers FROM ${DISPATCHER_SCHEMA}.dead_letters WHERE key = $1`,
      [poisoned],
    );
    expect(letters).toHaveLength(1);
    expect(letters[0]).toMatchObject({ consumer_group: INTAKE_GROUP, topic: TOPICS.jobLifecycle });
    expect(letters[0].headers[CE_HEADERS.id]).toBe(bad.id);
  });
});
