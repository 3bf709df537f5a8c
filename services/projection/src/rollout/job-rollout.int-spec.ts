import { JobBatchHandler } from '../jobs/job-batch.handler';
import { JobChangeNotifier } from '../jobs/job-change.notifier';
import { JobEventsConsumer } from '../jobs/job-events.consumer';
import { JobViewsQuery } from '../read/job-views.query';
import { aJobCreated, aJobStarted, aJobTargetsResolved, asJobMessages } from '../testing/job-event.builders';
import { createProjectionTestDb, ProjectionTestDb } from '../testing/projection-test-db';
import { aDeviceFailedAfter, aDeviceSucceededAfter, aJobRolloutProgressed } from '../testing/rollout-event.builders';

const ROLLOUT = { batches: { size: 2 }, successGate: { percent: 50 }, rate: { mode: 'adaptive' as const, minPerMinute: 60, maxPerMinute: 6000 } };

describe('rollout progress in the read model, on PostgreSQL', () => {
  let db: ProjectionTestDb;
  let handler: JobBatchHandler;
  let views: JobViewsQuery;

  beforeAll(async () => {
    db = await createProjectionTestDb();
    handler = new JobBatchHandler(db.dataSource, new JobChangeNotifier());
    views = new JobViewsQuery(db.dataSource, 30);
  });
  afterAll(() => db.drop());

  const versions = async (jobId: string) => ({
    progress: await db.dataSource.query(`SELECT xmin::text AS version, * FROM projection.job_rollout_progress WHERE job_id = $1`, [jobId]),
    batches: await db.dataSource.query(`SELECT xmin::text AS version, * FROM projection.job_rollout_batches WHERE job_id = $1 ORDER BY batch_index`, [jobId]),
  });

  it('given a rollout job, when its progress and outcomes arrive, then the job view shows its rollout, batches, rate and reason, and devices their attempts', async () => {
    await handler.apply([
      aJobCreated('rolled', { rollout: ROLLOUT }),
      aJobTargetsResolved('rolled', ['vm-1', 'vm-2', 'vm-3']),
      aJobStarted('rolled', 3),
      aJobRolloutProgressed('rolled', 1, { batchCount: 2, batch: { index: 0, size: 2, completed: 0, failed: 0, state: 'running' }, ratePerMinute: 60, rateReason: 'starting at 60/min' }),
      aDeviceSucceededAfter('rolled', 'vm-1', 1),
      aDeviceFailedAfter('rolled', 'vm-2', 3),
      aJobRolloutProgressed('rolled', 2, { currentBatch: 1, batchCount: 2, batch: { index: 0, size: 2, completed: 1, failed: 1, state: 'passed' }, ratePerMinute: 120, rateReason: 'healthy: 60 → 120/min' }),
      aJobRolloutProgressed('rolled', 3, { currentBatch: 1, batchCount: 2, batch: { index: 1, size: 1, completed: 0, failed: 0, state: 'running' }, ratePerMinute: 120, rateReason: 'healthy: 60 → 120/min' }),
    ]);
    const job = await views.getJob('rolled');
    expect(job).toMatchObject({
      rollout: ROLLOUT,
      rolloutProgress: {
        currentBatch: 1,
        batchCount: 2,
        batches: [
          { index: 0, size: 2, completed: 1, failed: 1, state: 'passed' },
          { index: 1, size: 1, completed: 0, failed: 0, state: 'running' },
        ],
        ratePerMinute: 120,
        rateReason: 'healthy: 60 → 120/min',
        pausedUntil: null,
      },
    });
    const devices = await views.listJobDevices('rolled', { limit: 10 });
    expect(devices?.value.map((device) => [device.deviceId, device.status, device.attempts])).toEqual([
      ['vm-1', 'completed', 1],
      ['vm-2', 'failed', 3],
      ['vm-3', 'pending', null],
    ]);
    const list = await views.listJobs({ limit: 10 });
    expect(list.value.find((view) => view.id === 'rolled')?.rolloutProgress?.batches).toHaveLength(2);
  });

  it('given a job without a rollout, when read, then its rollout and progress are null', async () => {
    await handler.apply([aJobCreated('plain'), aJobStarted('plain', 0)]);
    expect(await views.getJob('plain')).toMatchObject({ rollout: null, rolloutProgress: null });
  });

  it('given a delivered batch, when the same batch is delivered again, then no rollout row is rewritten', async () => {
    const batch = [aJobCreated('twice', { rollout: ROLLOUT }), aJobRolloutProgressed('twice', 1), aJobRolloutProgressed('twice', 2, { ratePerMinute: 300 })];
    const consumer = new JobEventsConsumer(handler, db.dataSource);
    await consumer.onJobEvents(asJobMessages(batch));
    const before = await versions('twice');
    await consumer.onJobEvents(asJobMessages(batch));
    await handler.apply(batch);
    expect(await versions('twice')).toEqual(before);
    expect(before.progress[0]).toMatchObject({ rate_per_minute: 300, sequence: 2 });
  });

  it('given a newer progress, when an older one is delivered late, then the view keeps the newer', async () => {
    await handler.apply([aJobCreated('late', { rollout: ROLLOUT }), aJobRolloutProgressed('late', 5, { ratePerMinute: 240, batch: { index: 0, size: 25, completed: 9, failed: 0, state: 'running' } })]);
    const before = await versions('late');
    await handler.apply([aJobRolloutProgressed('late', 4, { ratePerMinute: 480, batch: { index: 0, size: 25, completed: 7, failed: 0, state: 'running' } })]);
    expect(await versions('late')).toEqual(before);
  });

  it('given two consumers racing on one job, when each applies its own progress, then no update is lost', async () => {
    const other = new JobBatchHandler(await db.openAnother(), new JobChangeNotifier());
    await handler.apply([aJobCreated('race', { rollout: ROLLOUT })]);
    const progress = Array.from({ length: 20 }, (_, index) =>
      aJobRolloutProgressed('race', index + 1, { currentBatch: index, batchCount: 20, batch: { index, size: 5, completed: 5, failed: 0, state: 'passed' } }),
    );
    await Promise.all([
      ...progress.filter((_, index) => index % 2 === 0).map((event) => handler.apply([event])),
      ...progress.filter((_, index) => index % 2 === 1).map((event) => other.apply([event])),
    ]);
    const job = await views.getJob('race');
    expect(job?.rolloutProgress?.batches.map((batch) => batch.index)).toEqual(progress.map((_, index) => index));
    expect(job?.rolloutProgress?.currentBatch).toBe(19);
  });
});
