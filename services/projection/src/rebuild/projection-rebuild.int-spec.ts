import { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { EventEnvelope, FleetEvent, TOPICS, toWireMessage } from '@fleetjobs/contracts';
import { configureHttpApp } from '@fleetjobs/http-kit';
import { EventLog, EventLogServer, SqlEventLog } from '@fleetjobs/messaging';
import { InfraModule } from '@fleetjobs/runtime';
import { DataSource } from 'typeorm';
import { ProjectionModule } from '../projection.module';
import { JOB_RETENTION_DAYS } from '../projection.tokens';
import {
  aDeviceDeleted,
  aDeviceFailed,
  aDeviceRegistered,
  aDeviceSucceeded,
  aJobCompleted,
  aJobCreated,
  aJobFailed,
  aJobStarted,
  aJobStopped,
  aJobTargetingCompleted,
  aJobTargetsResolved,
} from '../testing/job-event.builders';
import { createProjectionTestDb, eventually, ProjectionTestDb } from '../testing/projection-test-db';
import { aDeviceSucceededAfter, aJobRolloutProgressed } from '../testing/rollout-event.builders';
import { READ_MODEL_TABLES, replayingAs, truncateReadModels } from './projection-rebuild';

interface RunningProjection {
  baseUrl: string;
  server: EventLogServer;
  close(): Promise<void>;
}

/** The projection as deployed: its module consuming the given log, serving HTTP on a random port. */
async function startProjection(dataSource: DataSource, eventLog: EventLog): Promise<RunningProjection> {
  const endpoints = { deviceSet: '', dispatcher: '', jobCommand: '', projection: '' };
  const moduleRef = await Test.createTestingModule({ imports: [InfraModule.forRoot({ dataSource, eventLog, endpoints }), ProjectionModule] })
    // Event times are hours old; a retention this long keeps every ended job visible.
    .overrideProvider(JOB_RETENTION_DAYS)
    .useValue(3650)
    .compile();
  const app: INestApplication = moduleRef.createNestApplication({ bodyParser: false, logger: ['error', 'warn'] });
  configureHttpApp(app);
  const server = new EventLogServer(eventLog);
  app.connectMicroservice({ strategy: server });
  await app.startAllMicroservices();
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as { port: number };
  return { baseUrl: `http://127.0.0.1:${port}`, server, close: () => app.close() };
}

/** Resolves once every subscription runs and has committed every message written so far. */
async function drained(projection: RunningProjection): Promise<void> {
  const caughtUp = await eventually(
    async () => {
      const subscriptions = projection.server.activeSubscriptions;
      if (subscriptions.length === 0 || subscriptions.some((s) => !s.isRunning())) return false;
      const lags = await Promise.all(subscriptions.map((s) => s.lag()));
      return lags.every((lag) => lag === 0);
    },
    (done) => done,
    60_000,
  );
  if (!caughtUp) throw new Error('the projection did not catch up with the event log');
}

async function getJson(url: string): Promise<unknown> {
  const response = await fetch(url);
  return { status: response.status, body: await response.json() };
}

/** Every page of a paged list, following `nextCursor` (cursors are part of what is compared). */
async function allPages(url: string): Promise<unknown[]> {
  const pages: Array<{ status: number; body: { value: unknown[]; nextCursor: string | null } }> = [];
  let cursor: string | null = null;
  do {
    const separator = url.includes('?') ? '&' : '?';
    const page = (await getJson(cursor ? `${url}${separator}cursor=${encodeURIComponent(cursor)}` : url)) as (typeof pages)[number];
    pages.push(page);
    cursor = page.status === 200 ? page.body.nextCursor : null;
  } while (cursor !== null && pages.length < 100);
  return pages;
}

const JOB_IDS = ['job-completed', 'job-failed', 'job-stopped', 'job-running', 'job-targeting', 'job-late-targets', 'job-rollout'];

/** Every view the API serves of the history: list pages (all and by status), each job, each job's devices. */
async function captureViews(baseUrl: string): Promise<Record<string, unknown>> {
  const views: Record<string, unknown> = {
    list: await allPages(`${baseUrl}/api/jobs?limit=2`),
    audit: await allPages(`${baseUrl}/api/audit?limit=1`),
  };
  for (const status of ['pending', 'running', 'completed', 'failed', 'stopped']) {
    views[`list:${status}`] = await allPages(`${baseUrl}/api/jobs?limit=1&status=${status}`);
  }
  for (const id of JOB_IDS) {
    views[`job:${id}`] = await getJson(`${baseUrl}/api/jobs/${id}`);
    views[`devices:${id}`] = await allPages(`${baseUrl}/api/jobs/${id}/devices?limit=3`);
    views[`devices:${id}:failed`] = await allPages(`${baseUrl}/api/jobs/${id}/devices?status=failed`);
    views[`devices:${id}:search`] = await allPages(`${baseUrl}/api/jobs/${id}/devices?search=SHARED`);
    // The job at moments of its life: folded from the events' own times, the same after a replay.
    for (const minutes of [1.5, 3.5, 5.5, 30]) {
      const moment = encodeURIComponent(at(minutes));
      views[`job:${id}@${minutes}`] = await getJson(`${baseUrl}/api/jobs/${id}?at=${moment}`);
      views[`devices:${id}@${minutes}`] = await allPages(`${baseUrl}/api/jobs/${id}/devices?limit=2&at=${moment}`);
    }
  }
  return views;
}

/** The read models' rows, without `jobs.updated_at`: the time a row was written, not part of any view. */
async function captureRows(dataSource: DataSource): Promise<Record<string, unknown>> {
  return {
    jobs: await dataSource.query(`SELECT * FROM projection.jobs ORDER BY id`).then((rows: Array<Record<string, unknown>>) =>
      rows.map(({ updated_at: _writtenAt, ...row }) => row),
    ),
    jobDevices: await dataSource.query(`SELECT * FROM projection.job_devices ORDER BY job_id, device_id`),
    deletedDevices: await dataSource.query(`SELECT * FROM projection.deleted_devices ORDER BY device_id`),
    rolloutProgress: await dataSource.query(`SELECT * FROM projection.job_rollout_progress ORDER BY job_id`),
    rolloutBatches: await dataSource.query(`SELECT * FROM projection.job_rollout_batches ORDER BY job_id, batch_index`),
    auditEntries: await dataSource.query(`SELECT * FROM projection.audit_entries ORDER BY event_id`),
    statusChanges: await dataSource.query(`SELECT * FROM projection.job_status_changes ORDER BY job_id, event_id`),
  };
}

/** An hour ago plus `minutes`, so that event times are recent and distinct. */
const BASE = Date.now() - 60 * 60 * 1000;
const at = (minutes: number) => new Date(BASE + minutes * 60 * 1000).toISOString();
const ada = { id: 'user:ada', name: 'Ada', role: 'operator', address: '10.0.0.7' } as const;
const ci = { id: 'token:ci', name: 'ci', role: 'administrator' } as const;
const created = (jobId: string, minutes: number, devices: string[] | null = null) =>
  aJobCreated(jobId, { createdAt: at(minutes), displayName: `Rollout ${jobId}`, devices });

/**
 * Each job's history in the order its producers write it (keyed by job id, so kept per job);
 * the histories are interleaved across jobs when published. Device outcomes arrive before their
 * target chunk, after the job ended, twice (at-least-once delivery) or as a retry's second outcome.
 */
function jobHistories(): Record<string, FleetEvent[]> {
  const completedEarly = aDeviceSucceeded('job-completed', 'c-01');
  const failedTwice = aDeviceFailed('job-failed', 'f-01', 'firmware rejected');
  const progressOfRollout = aJobRolloutProgressed('job-rollout', 2, {
    currentBatch: 1,
    batchCount: 2,
    batch: { index: 0, size: 1, completed: 1, failed: 0, state: 'passed' },
    ratePerMinute: 120,
    rateReason: 'healthy: 60 → 120/min',
  });
  return {
    'job-completed': [
      created('job-completed', 1),
      aJobStarted('job-completed', 4, at(1.1)),
      completedEarly,
      aJobTargetsResolved('job-completed', ['c-01', 'c-02', 'shared-1']),
      aJobTargetsResolved('job-completed', ['c-03'], 1),
      aJobTargetingCompleted('job-completed', 4),
      completedEarly,
      aDeviceSucceeded('job-completed', 'c-02'),
      aDeviceSucceeded('job-completed', 'shared-1'),
      aDeviceSucceeded('job-completed', 'c-03'),
      aJobCompleted('job-completed', at(3)),
    ],
    'job-failed': [
      created('job-failed', 2, ['f-01', 'f-02', 'f-03', 'shared-1']),
      aJobTargetsResolved('job-failed', ['f-01', 'f-02', 'f-03', 'shared-1']),
      aJobTargetingCompleted('job-failed', 4),
      aJobStarted('job-failed', 4, at(2.1)),
      failedTwice,
      aDeviceSucceeded('job-failed', 'f-02'),
      failedTwice,
      // A retry's later outcome does not overturn the first one.
      aDeviceSucceeded('job-failed', 'f-01'),
      aDeviceFailed('job-failed', 'shared-1', 'device is offline'),
      aJobFailed('job-failed', 'too many devices failed', at(4)),
      aDeviceFailed('job-failed', 'f-03', 'cancelled: job failed'),
    ],
    'job-stopped': [
      { ...created('job-stopped', 3), actor: ada },
      aJobTargetsResolved('job-stopped', ['s-01', 's-02', 's-03']),
      aDeviceFailed('job-stopped', 's-05', 'device is offline'),
      aJobTargetsResolved('job-stopped', ['s-04', 's-05'], 1),
      aJobTargetingCompleted('job-stopped', 5),
      aJobStarted('job-stopped', 5, at(3.1)),
      aDeviceSucceeded('job-stopped', 's-01'),
      { ...aJobStopped('job-stopped', at(5)), actor: ci },
      aDeviceSucceeded('job-stopped', 's-02'),
      aJobStopped('job-stopped', at(6)),
    ],
    'job-running': [
      created('job-running', 4),
      aJobTargetsResolved('job-running', ['r-01', 'r-doomed', 'shared-2']),
      aJobTargetingCompleted('job-running', 3),
      aJobStarted('job-running', 3, at(4.1)),
      aDeviceSucceeded('job-running', 'r-01'),
    ],
    'job-targeting': [created('job-targeting', 5), aJobTargetsResolved('job-targeting', ['t-01', 'shared-2'])],
    'job-rollout': [
      aJobRolloutProgressed('job-rollout', 1, { batchCount: 2, batch: { index: 0, size: 1, completed: 0, failed: 0, state: 'running' } }),
      aJobCreated('job-rollout', { createdAt: at(7), displayName: 'Rollout job-rollout', rollout: { batches: { size: 1 }, rate: { mode: 'adaptive', minPerMinute: 60, maxPerMinute: 600 } } }),
      aJobTargetsResolved('job-rollout', ['o-01', 'o-02']),
      aJobStarted('job-rollout', 2, at(7.1)),
      aDeviceSucceededAfter('job-rollout', 'o-01', 2),
      progressOfRollout,
      aJobRolloutProgressed('job-rollout', 3, { currentBatch: 1, batchCount: 2, batch: { index: 1, size: 1, completed: 0, failed: 0, state: 'running' }, ratePerMinute: 120 }),
      progressOfRollout,
    ],
    'job-late-targets': [
      created('job-late-targets', 6),
      aJobStarted('job-late-targets', 2, at(6.1)),
      aDeviceSucceeded('job-late-targets', 'l-01'),
      aJobTargetsResolved('job-late-targets', ['l-01', 'l-gone']),
      aJobTargetingCompleted('job-late-targets', 2),
    ],
  };
}

/** Round-robin over the jobs' histories: job events of different jobs arrive interleaved. */
function interleaved(histories: Record<string, FleetEvent[]>): FleetEvent[] {
  const queues = Object.values(histories).map((events) => [...events]);
  const result: FleetEvent[] = [];
  while (queues.some((queue) => queue.length > 0)) {
    for (const queue of queues) {
      const next = queue.shift();
      if (next) result.push(next);
    }
  }
  return result;
}

describe('rebuilding the projection from the event log', () => {
  let db: ProjectionTestDb;
  let eventLog: SqlEventLog;
  let projection: RunningProjection | undefined;

  beforeAll(async () => {
    db = await createProjectionTestDb();
    eventLog = new SqlEventLog({ dataSource: db.dataSource, schema: 'projection_rebuild_log', pollIntervalMs: 20, partitions: 4 });
    await eventLog.ensureTopics([TOPICS.jobs, TOPICS.devices], 4);
  });
  afterAll(async () => {
    await projection?.close();
    await eventLog?.close();
    await db?.drop();
  });

  const publish = (topic: string, events: EventEnvelope[]) => eventLog.publish(events.map((event) => toWireMessage(topic, event)));

  it('truncating the read models and replaying as a new consumer group serves the same views and rows', async () => {
    projection = await startProjection(db.dataSource, eventLog);
    const jobEvents = interleaved(jobHistories());
    // Published in waves while the projection consumes, so the live run folds other batches than the replay.
    const waves = [jobEvents.slice(0, 12), jobEvents.slice(12, 25), jobEvents.slice(25)];
    await publish(TOPICS.jobs, waves[0]);
    await publish(TOPICS.devices, [aDeviceRegistered('shared-2', at(0.5))]);
    await publish(TOPICS.jobs, waves[1]);
    // After job-running started (and before job-late-targets' targets may have been folded).
    await publish(TOPICS.devices, [{ ...aDeviceDeleted('r-doomed', at(10)), actor: ci }, aDeviceDeleted('l-gone', at(11))]);
    await publish(TOPICS.jobs, waves[2]);
    // A whole wave again: a producer's retry after a lost acknowledgement.
    await publish(TOPICS.jobs, waves[1]);
    await drained(projection);

    const live = await captureViews(projection.baseUrl);
    const liveRows = await captureRows(db.dataSource);

    // The history folded as the product describes it, so that identical views mean something.
    const job = (id: string) => (live[`job:${id}`] as { body: { status: string; counts: unknown; error: string | null } }).body;
    expect(job('job-completed')).toMatchObject({ status: 'completed', counts: { total: 4, pending: 0, completed: 4, failed: 0 } });
    expect(job('job-failed')).toMatchObject({ status: 'failed', error: 'too many devices failed', counts: { total: 4, pending: 0, completed: 1, failed: 3 } });
    expect(job('job-stopped')).toMatchObject({ status: 'stopped', counts: { total: 5, pending: 2, completed: 2, failed: 1 } });
    expect(job('job-running')).toMatchObject({ status: 'running', counts: { total: 3, pending: 2, completed: 1, failed: 0 } });
    expect(job('job-targeting')).toMatchObject({ status: 'pending', counts: { total: 2, pending: 2 } });
    expect(job('job-late-targets')).toMatchObject({ status: 'running', counts: { total: 2, pending: 1, completed: 1 } });
    const devices = (id: string) => (live[`devices:${id}`] as Array<{ body: { value: Array<{ deviceId: string }> } }>).flatMap((page) => page.body.value);
    expect(devices('job-running').find((d) => d.deviceId === 'r-doomed')).toMatchObject({ deleted: true, status: 'pending' });
    expect(devices('job-late-targets').find((d) => d.deviceId === 'l-gone')).toMatchObject({ deleted: true });
    expect(devices('job-failed').find((d) => d.deviceId === 'f-01')).toMatchObject({ status: 'failed', error: 'firmware rejected' });
    expect(job('job-rollout')).toMatchObject({
      rolloutProgress: { currentBatch: 1, ratePerMinute: 120, batches: [{ index: 0, state: 'passed' }, { index: 1, state: 'running' }] },
    });
    expect(devices('job-rollout').find((d) => d.deviceId === 'o-01')).toMatchObject({ status: 'completed', attempts: 2 });
    expect((live.list as unknown[]).length).toBe(4);
    expect(job('job-stopped')).toMatchObject({ createdBy: { id: 'user:ada', name: 'Ada' }, stoppedBy: { id: 'token:ci', name: 'ci' } });
    // At moments of their lives: job-stopped running at 3.5 min, stopped by 5.5; job-failed created at 2, running until 4.
    const jobAt = (id: string, minutes: number) => (live[`job:${id}@${minutes}`] as { status: number; body: { status: string; stoppedBy: unknown } });
    expect(jobAt('job-stopped', 1.5).status).toBe(404);
    expect(jobAt('job-stopped', 3.5).body).toMatchObject({ status: 'running', stoppedBy: null });
    expect(jobAt('job-stopped', 5.5).body).toMatchObject({ status: 'stopped', stoppedBy: { id: 'token:ci', name: 'ci' } });
    const failedAt = (minutes: number) => (jobAt('job-failed', minutes).status === 200 ? jobAt('job-failed', minutes).body.status : jobAt('job-failed', minutes).status);
    expect([1.5, 3.5, 5.5].map(failedAt)).toEqual([404, 'running', 'failed']);
    const audit = (live.audit as Array<{ body: { value: Array<{ action: string; subject: string }> } }>).flatMap((page) => page.body.value);
    expect(audit.map((entry) => `${entry.action} ${entry.subject}`)).toEqual(['DeviceDeleted r-doomed', 'JobStopped job-stopped', 'JobCreated job-stopped']);

    await projection.close();
    projection = undefined;
    await truncateReadModels(db.dataSource);
    for (const table of READ_MODEL_TABLES) {
      expect(await db.dataSource.query(`SELECT count(*)::int AS n FROM ${table}`)).toEqual([{ n: 0 }]);
    }

    projection = await startProjection(db.dataSource, replayingAs(eventLog, 'rebuild-1'));
    expect(projection.server.activeSubscriptions.map((s) => s.groupId)).toEqual(['projection.rebuild-1']);
    await drained(projection);

    expect(await captureViews(projection.baseUrl)).toEqual(live);
    expect(await captureRows(db.dataSource)).toEqual(liveRows);
  });
});
