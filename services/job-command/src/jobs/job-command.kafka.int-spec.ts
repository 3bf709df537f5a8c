import { randomBytes } from 'node:crypto';
import { CE_HEADERS, EventEnvelope, makeEnvelope, toWireMessage, TOPICS } from '@fleetjobs/contracts';
import { waitFor } from '@fleetjobs/testing';
import { JOB_COMMAND_SCHEMA } from '../job-command.schema';
import { JobCommandOnKafka, SeenEvent, startJobCommandOnKafka } from '../testing/job-command-kafka.harness';

const LIFECYCLE_GROUP = 'job-command.lifecycle';
const DISPATCHER = '/fleetjobs/dispatcher';

const aJob = () => ({
  displayName: 'Raise fan speed',
  deviceSet: 'seattle-vms',
  operations: [{ type: 'setting', name: 'fanSpeed', value: 5 }],
});
const targetingCompleted = (jobId: string, total: number) =>
  makeEnvelope({ type: 'JobTargetingCompleted', version: 1, source: '/fleetjobs/device-set', subject: jobId, now: new Date(), data: { jobId, total, chunks: 1 } });
const dispatchFinished = (jobId: string, counts: { completed: number; failed: number; notStarted: number }) =>
  makeEnvelope({
    type: 'JobDispatchFinished',
    version: 1,
    source: DISPATCHER,
    subject: jobId,
    now: new Date(),
    data: { jobId, ...counts, finishedAt: new Date().toISOString() },
  });

/**
 * job-command as deployed: its own PostgreSQL database and the real Kafka broker, in a namespace
 * of this file's own. Jobs are created over HTTP; the other services' reports are published to
 * the jobs topic and job-command's decisions are read back from it.
 */
describe('job-command on Kafka and PostgreSQL', () => {
  let service: JobCommandOnKafka;
  const run = randomBytes(3).toString('hex');

  beforeAll(async () => {
    service = await startJobCommandOnKafka();
  }, 240_000);
  afterAll(async () => {
    await service?.close();
  });

  const call = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${service.base}${path}`, {
      method,
      headers: body === undefined ? undefined : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined };
  };
  const decided = (jobId: string) => service.eventsOf(jobId).filter((event) => event.envelope.source === '/fleetjobs/job-command');
  const typesDecided = (jobId: string) => decided(jobId).map((event) => event.envelope.type);
  const untilSeen = async (jobId: string, type: string): Promise<SeenEvent> => {
    await waitFor(`${type} of ${jobId} on the jobs topic`, () => service.eventsOf(jobId, type).length > 0, 45_000, 50);
    return service.eventsOf(jobId, type)[0];
  };
  /** Waits until job-command's lifecycle consumer has handled the last delivery of `envelope`. */
  const untilHandled = async (envelope: EventEnvelope) => {
    const deliveries = () => service.lifecycleSeen.filter((event) => event.envelope.id === envelope.id);
    await waitFor(`${envelope.type} ${envelope.id} on the lifecycle topic`, () => deliveries().length > 0, 45_000, 50);
    const last = deliveries()[deliveries().length - 1].message;
    await waitFor(`job-command to handle ${envelope.type} at offset ${last.offset}`, () => service.handledPast(LIFECYCLE_GROUP, last), 45_000, 100);
  };
  const storedTypes = async (jobId: string): Promise<string[]> =>
    (await service.dataSource.query(`SELECT type FROM ${JOB_COMMAND_SCHEMA}.events WHERE stream_id = $1 ORDER BY version`, [jobId])).map(
      (row: { type: string }) => row.type,
    );
  const create = async (jobId: string) => {
    const answer = await call('PUT', `/api/jobs/${jobId}`, aJob());
    expect(answer.status).toBe(201);
    return untilSeen(jobId, 'JobCreated');
  };

  it('publishes JobCreated for a job created over HTTP, as a CloudEvent keyed by the job id', async () => {
    const jobId = `created-${run}`;
    const { message, envelope } = await create(jobId);
    expect(message.topic).toBe(TOPICS.jobs);
    expect(message.key).toBe(jobId);
    expect(message.headers).toMatchObject({
      [CE_HEADERS.specVersion]: '1.0',
      [CE_HEADERS.type]: 'JobCreated',
      [CE_HEADERS.source]: '/fleetjobs/job-command',
      [CE_HEADERS.subject]: jobId,
      [CE_HEADERS.eventVersion]: '1',
      [CE_HEADERS.contentType]: 'application/json',
    });
    expect(message.headers[CE_HEADERS.id]).toMatch(/\S/);
    expect(Number.isNaN(Date.parse(message.headers[CE_HEADERS.time]))).toBe(false);
    expect(envelope.data).toMatchObject({ jobId, deviceSet: 'seattle-vms', template: 'vending-machine', devices: null });
  });

  it('starts a job when its targets are resolved and completes it when dispatch finishes; a redelivered report decides nothing new', async () => {
    const jobId = `completes-${run}`;
    await create(jobId);

    await service.publish(targetingCompleted(jobId, 3));
    const started = await untilSeen(jobId, 'JobStarted');
    expect(started.envelope.data).toMatchObject({ jobId, total: 3 });

    const finished = dispatchFinished(jobId, { completed: 3, failed: 0, notStarted: 0 });
    await service.publish(finished);
    // Its last event, written with JobCompleted, closes it with the dispatch's counts.
    const settled = await untilSeen(jobId, 'JobSettled');
    expect(settled.envelope.data).toMatchObject({ jobId, status: 'completed', completed: 3, failed: 0, notStarted: 0 });
    const completed = await untilSeen(jobId, 'JobCompleted');
    expect(completed.envelope.data).toMatchObject({ jobId, completed: 3 });
    expect(completed.envelope.causationId).toBe(finished.id);
    expect(typesDecided(jobId)).toEqual(['JobCreated', 'JobStarted', 'JobCompleted', 'JobSettled']);

    // The very same message again (same id), as a redelivery after a crash would bring it.
    await service.publish(finished);
    await untilHandled(finished);
    expect(await storedTypes(jobId)).toEqual(['JobCreated', 'JobStarted', 'JobCompleted', 'JobSettled']);
    expect(typesDecided(jobId)).toEqual(['JobCreated', 'JobStarted', 'JobCompleted', 'JobSettled']);
  });

  it('stops a running job: 200, JobStopped published and the halt kept in job_control', async () => {
    const jobId = `stopped-${run}`;
    await create(jobId);
    await service.publish(targetingCompleted(jobId, 2));
    await untilSeen(jobId, 'JobStarted');

    const answer = await call('POST', `/api/jobs/${jobId}/stop`);
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ status: 'stopped' });
    const stopped = await untilSeen(jobId, 'JobStopped');
    expect(stopped.message.key).toBe(jobId);
    const [control] = await service.dataSource.query(
      `SELECT halted_at, halt_reason FROM ${JOB_COMMAND_SCHEMA}.job_control WHERE job_id = $1`,
      [jobId],
    );
    expect(control?.halted_at).toBeInstanceOf(Date);
    expect(control.halt_reason).toMatch(/stopped/);
  });

  it('dead-letters a JobDispatchFinished whose data cannot be read, and still applies the next report of the job', async () => {
    const jobId = `poisoned-${run}`;
    await create(jobId);
    await service.publish(targetingCompleted(jobId, 3));
    await untilSeen(jobId, 'JobStarted');

    const bad = dispatchFinished(jobId, { completed: 3, failed: 0, notStarted: 0 });
    const wire = toWireMessage(TOPICS.jobs, bad);
    await service.publishRaw({ key: wire.key, headers: wire.headers, value: JSON.stringify({ jobId, completed: 'all of them' }) });
    const good = dispatchFinished(jobId, { completed: 1, failed: 2, notStarted: 0 });
    await service.publish(good);

    const failed = await untilSeen(jobId, 'JobFailed');
    expect(failed.envelope.data).toMatchObject({ jobId, completed: 1, failed: 2 });
    expect(failed.envelope.causationId).toBe(good.id);
    await waitFor(
      'the unreadable report in dead_letters',
      async () => (await service.dataSource.query(`SELECT 1 FROM ${JOB_COMMAND_SCHEMA}.dead_letters WHERE key = $1`, [jobId])).length > 0,
      45_000,
      100,
    );
    const letters = await service.dataSource.query(
      `SELECT consumer_group, topic, headers, value FROM ${JOB_COMMAND_SCHEMA}.dead_letters WHERE key = $1`,
      [jobId],
    );
    expect(letters).toHaveLength(1);
    expect(letters[0]).toMatchObject({ consumer_group: LIFECYCLE_GROUP, topic: TOPICS.jobLifecycle });
    expect(letters[0].headers[CE_HEADERS.id]).toBe(bad.id);
    await untilSeen(jobId, 'JobSettled');
    expect(typesDecided(jobId)).toEqual(['JobCreated', 'JobStarted', 'JobFailed', 'JobSettled']);
  });
});
