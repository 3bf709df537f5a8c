import { randomBytes } from 'node:crypto';
import { EventEnvelope, makeEnvelope } from '@fleetjobs/contracts';
import { waitFor } from '@fleetjobs/testing';
import { DISPATCHER_SCHEMA } from '../dispatcher.schema';
import { DispatcherOnKafka, SeenEvent, startDispatcherOnKafka } from '../testing/dispatcher-kafka.harness';

const INTAKE_GROUP = 'dispatcher.intake';
const REBOOT = { type: 'command' as const, name: 'reboot', value: { delay: 0 } };
const FAN_SPEED = { type: 'setting' as const, name: 'fanSpeed', value: 4 };
const LOCATION = { type: 'property' as const, name: 'location', value: 'Aisle 7' };

const envelope = <T>(type: string, jobId: string, data: T, source = '/fleetjobs/job-command') =>
  makeEnvelope({ type, version: 1, source, subject: jobId, now: new Date(), data });
const jobCreated = (jobId: string, operations: { type: string; name: string; value: unknown }[] = [REBOOT]) =>
  envelope('JobCreated', jobId, {
    jobId,
    displayName: 'Reboot',
    description: '',
    deviceSet: 'vms',
    devices: null,
    operations,
    template: 'vm',
    createdAt: new Date().toISOString(),
  });
const targetsResolved = (jobId: string, deviceIds: string[]) =>
  envelope('JobTargetsResolved', jobId, { jobId, chunk: 0, devices: deviceIds.map((deviceId) => ({ deviceId, displayName: deviceId })) }, '/fleetjobs/device-set');
const targetingCompleted = (jobId: string, total: number) => envelope('JobTargetingCompleted', jobId, { jobId, total, chunks: 1 }, '/fleetjobs/device-set');
const jobPaused = (jobId: string) => envelope('JobPaused', jobId, { jobId, pausedAt: new Date().toISOString() });
const jobResumed = (jobId: string) => envelope('JobResumed', jobId, { jobId, resumedAt: new Date().toISOString() });
const deviceIds = (prefix: string, count: number) => Array.from({ length: count }, (_, index) => `${prefix}-${index}`);

/**
 * A paused job in the dispatcher as deployed (its own PostgreSQL database with job-command's
 * job-control table, Kafka, the hub simulator): job-command is played by pausing and resuming in
 * job_control and publishing its events.
 */
describe('dispatcher: a paused job', () => {
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
  const rowsOf = (jobId: string): Promise<{ device_id: string; status: string; attempts: number; error: string | null; retry_at: Date | null }[]> =>
    dispatcher.dataSource.query(`SELECT device_id, status, attempts, error, retry_at FROM ${DISPATCHER_SCHEMA}.operations WHERE job_id = $1`, [jobId]);
  const stateOf = async (jobId: string): Promise<string> =>
    (await dispatcher.dataSource.query(`SELECT state FROM ${DISPATCHER_SCHEMA}.jobs WHERE job_id = $1`, [jobId]))[0]?.state;
  const expectEachDeviceRebootedOnce = async (devices: string[]) => {
    const methods = await methodsOn(devices);
    expect(methods.map((operation) => operation.deviceId).sort()).toEqual([...devices].sort());
  };

  it('hands back, uncounted, the devices it claimed of a job paused in job_control, sends them nothing, and runs them once resumed', async () => {
    const jobId = `refused-${run}`;
    const devices = deviceIds(`refused-vm-${run}`, 8);
    await seed(devices);
    // Paused where the permits are decided, before this dispatcher heard of it: it claims, and is refused.
    await dispatcher.jobControl.pause(dispatcher.dataSource, jobId);
    await dispatcher.publish(jobCreated(jobId), targetsResolved(jobId, devices), targetingCompleted(jobId, devices.length));

    await waitFor(
      'every device handed back after a refused permit',
      async () => {
        const rows = await rowsOf(jobId);
        return rows.length === devices.length && rows.every((row) => row.status === 'pending' && row.retry_at !== null);
      },
      45_000,
      50,
    );
    const handedBack = await rowsOf(jobId);
    expect(handedBack.filter((row) => row.attempts !== 0 || row.error !== null)).toEqual([]);
    expect(await methodsOn(devices)).toEqual([]);
    expect(dispatcher.eventsOf(jobId, 'JobDispatchFinished')).toEqual([]);

    await dispatcher.jobControl.resume(dispatcher.dataSource, jobId);
    const finished = await untilFinished(jobId);
    expect(finished.envelope.data).toMatchObject({ jobId, completed: devices.length, failed: 0, notStarted: 0 });
    await expectEachDeviceRebootedOnce(devices);
  });

  it('claims nothing of a job it learned is paused; resumed, it runs every device once', async () => {
    const jobId = `paused-${run}`;
    const devices = deviceIds(`paused-vm-${run}`, 6);
    await seed(devices);
    await dispatcher.jobControl.pause(dispatcher.dataSource, jobId);
    const completedTargeting = targetingCompleted(jobId, devices.length);
    await dispatcher.publish(jobCreated(jobId), jobPaused(jobId), targetsResolved(jobId, devices), completedTargeting);
    await untilHandled(completedTargeting);

    expect(await stateOf(jobId)).toBe('paused');
    // Never claimed: a claim refused by its permit would have left a retry time behind.
    expect((await rowsOf(jobId)).filter((row) => row.status !== 'pending' || row.retry_at !== null)).toEqual([]);

    const resumed = jobResumed(jobId);
    await dispatcher.jobControl.resume(dispatcher.dataSource, jobId);
    await dispatcher.publish(resumed);
    const finished = await untilFinished(jobId);
    expect(finished.envelope.data).toMatchObject({ jobId, completed: devices.length, failed: 0, notStarted: 0 });
    await expectEachDeviceRebootedOnce(devices);
    expect(await stateOf(jobId)).toBe('finished');
  });

  it('a paused job whose every device is done finishes only once resumed', async () => {
    const jobId = `done-while-paused-${run}`;
    const devices = deviceIds(`done-vm-${run}`, 3);
    await seed(devices);
    const completedTargeting = targetingCompleted(jobId, devices.length);
    // Paused after targets arrived but before targeting completed: once the devices are done, the job stays open.
    await dispatcher.publish(jobCreated(jobId), targetsResolved(jobId, devices));
    await waitFor('the devices done', async () => (await rowsOf(jobId)).filter((row) => row.status === 'completed').length === devices.length, 45_000, 50);
    const paused = jobPaused(jobId);
    await dispatcher.publish(paused, completedTargeting);
    await untilHandled(completedTargeting);
    expect(await stateOf(jobId)).toBe('paused');
    expect(dispatcher.eventsOf(jobId, 'JobDispatchFinished')).toEqual([]);

    await dispatcher.publish(jobResumed(jobId));
    const finished = await untilFinished(jobId);
    expect(finished.envelope.data).toMatchObject({ jobId, completed: devices.length, failed: 0, notStarted: 0 });
  });

  it('hands back a device paused part way through a setting and a property, and re-drives it once resumed without writing the setting again', async () => {
    const jobId = `midway-${run}`;
    const devices = deviceIds(`midway-vm-${run}`, 4);
    // The setting is acknowledged long after the permit it was sent under ran out.
    const seeded = await dispatcher.hub.admin.seedDevices(devices.map((deviceId) => ({ deviceId, tags: { simulator: { latencyMs: 2500 } } })));
    expect(seeded).toBe(devices.length);
    await dispatcher.publish(jobCreated(jobId, [FAN_SPEED, LOCATION]), targetsResolved(jobId, devices), targetingCompleted(jobId, devices.length));
    const patches = async (name: string) => {
      const wanted = new Set(devices);
      return (await dispatcher.hub.admin.operations({ kind: 'twin-patch', limit: 10_000 })).filter((operation) => {
        const payload = operation.payload as { tags?: { properties?: object }; properties?: { desired?: object } } | null;
        return wanted.has(operation.deviceId) && name in (payload?.properties?.desired ?? payload?.tags?.properties ?? {});
      });
    };
    await waitFor('every device sent its setting', async () => (await patches(FAN_SPEED.name)).length === devices.length, 45_000, 50);
    await dispatcher.jobControl.pause(dispatcher.dataSource, jobId);

    await waitFor(
      'every device handed back after its setting, to be re-driven',
      async () => {
        const rows: { status: string; redrive: boolean; attempts: number }[] = await dispatcher.dataSource.query(
          `SELECT status, redrive, attempts FROM ${DISPATCHER_SCHEMA}.operations WHERE job_id = $1`,
          [jobId],
        );
        return rows.length === devices.length && rows.every((row) => row.status === 'pending' && row.redrive && row.attempts === 0);
      },
      45_000,
      50,
    );
    expect(await patches(LOCATION.name)).toEqual([]);

    await dispatcher.jobControl.resume(dispatcher.dataSource, jobId);
    const finished = await untilFinished(jobId);
    expect(finished.envelope.data).toMatchObject({ jobId, completed: devices.length, failed: 0, notStarted: 0 });
    expect((await patches(FAN_SPEED.name)).map((patch) => patch.deviceId).sort()).toEqual([...devices].sort());
    expect((await patches(LOCATION.name)).map((patch) => patch.deviceId).sort()).toEqual([...devices].sort());
  });

  it('a paused job that is stopped finishes at once, its pending devices not started', async () => {
    const jobId = `paused-stopped-${run}`;
    const devices = deviceIds(`paused-stopped-vm-${run}`, 5);
    await seed(devices);
    await dispatcher.jobControl.pause(dispatcher.dataSource, jobId);
    await dispatcher.publish(jobCreated(jobId), jobPaused(jobId), targetsResolved(jobId, devices), targetingCompleted(jobId, devices.length));
    await dispatcher.jobControl.halt(dispatcher.dataSource, jobId, 'stopped by a user');
    await dispatcher.publish(envelope('JobStopped', jobId, { jobId, stoppedAt: new Date().toISOString() }));

    const finished = await untilFinished(jobId);
    expect(finished.envelope.data).toMatchObject({ jobId, completed: 0, failed: 0, notStarted: devices.length });
    expect(await stateOf(jobId)).toBe('halted');
    expect(await methodsOn(devices)).toEqual([]);
  });

  it('a job whose targeting failed after a first chunk finishes with what it had, starting nothing more', async () => {
    const jobId = `targeting-failed-${run}`;
    const devices = deviceIds(`targeting-failed-vm-${run}`, 5);
    await seed(devices);
    await dispatcher.jobControl.pause(dispatcher.dataSource, jobId);
    await dispatcher.publish(jobCreated(jobId), jobPaused(jobId), targetsResolved(jobId, devices));
    await dispatcher.publish(envelope('JobTargetingFailed', jobId, { jobId, reason: 'device set "vms" was deleted' }, '/fleetjobs/device-set'));

    const finished = await untilFinished(jobId);
    expect(finished.envelope.data).toMatchObject({ jobId, completed: 0, failed: 0, notStarted: devices.length });
    expect(await stateOf(jobId)).toBe('halted');
    expect(await methodsOn(devices)).toEqual([]);
  });

  it('a job whose targeting failed while its first chunk ran finishes once those devices reported', async () => {
    const jobId = `targeting-failed-running-${run}`;
    const devices = deviceIds(`targeting-failed-running-vm-${run}`, 6);
    await seed(devices);
    await dispatcher.publish(jobCreated(jobId), targetsResolved(jobId, devices));
    await dispatcher.publish(envelope('JobTargetingFailed', jobId, { jobId, reason: 'device set "vms" was deleted' }, '/fleetjobs/device-set'));

    const finished = (await untilFinished(jobId)).envelope.data as { completed: number; failed: number; notStarted: number };
    expect(finished.completed + finished.failed + finished.notStarted).toBe(devices.length);
    const methods = await methodsOn(devices);
    expect(methods).toHaveLength(finished.completed + finished.failed);
    expect(new Set(methods.map((operation) => operation.deviceId)).size).toBe(methods.length);
    expect(await stateOf(jobId)).toBe('halted');
  });
});
