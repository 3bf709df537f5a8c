import { FleetEvent } from '@fleetjobs/contracts';
import { DataSource } from 'typeorm';
import { DeletedDevicesHandler } from '../devices/deleted-devices.handler';
import {
  aDeviceDeleted,
  aDeviceFailed,
  aDeviceRegistered,
  aDeviceSucceeded,
  aJobCreated,
  aJobStarted,
  aJobStopped,
  aJobTargetingCompleted,
  aJobTargetsResolved,
  anUnknownEvent,
  asJobMessages,
} from '../testing/job-event.builders';
import { createProjectionTestDb, eventually, ProjectionTestDb } from '../testing/projection-test-db';
import { JobBatchHandler } from './job-batch.handler';
import { JobChangeNotifier } from './job-change.notifier';
import { JobEventsConsumer } from './job-events.consumer';

const ids = (prefix: string, n: number, from = 0) => Array.from({ length: n }, (_, i) => `${prefix}-${String(from + i).padStart(5, '0')}`);

describe('JobBatchHandler against PostgreSQL', () => {
  let db: ProjectionTestDb;
  let handler: JobBatchHandler;
  let deletions: DeletedDevicesHandler;

  beforeAll(async () => {
    db = await createProjectionTestDb();
    handler = new JobBatchHandler(db.dataSource, new JobChangeNotifier());
    deletions = new DeletedDevicesHandler(db.dataSource);
  });
  afterAll(() => db.drop());

  const jobRow = async (id: string, ds: DataSource = db.dataSource) =>
    (await ds.query(`SELECT * FROM projection.jobs WHERE id = $1`, [id]))[0];
  const counts = async (id: string) => {
    const row = await jobRow(id);
    return row && { status: row.status, devices: row.device_count, pending: row.pending_count, completed: row.completed_count, failed: row.failed_count };
  };
  const deviceRows = (jobId: string) =>
    db.dataSource.query(`SELECT device_id, display_name, status, error, deleted FROM projection.job_devices WHERE job_id = $1 ORDER BY device_id`, [jobId]);

  it('a first delivery creates the job row, its device rows and their counts', async () => {
    await handler.apply([
      aJobCreated('first', { displayName: 'Raise fan speed', devices: ['vm-1', 'vm-2', 'vm-3'] }),
      aJobTargetsResolved('first', ['vm-1', 'vm-2', 'vm-3']),
      aJobTargetingCompleted('first', 3),
      aJobStarted('first', 3),
      aDeviceSucceeded('first', 'vm-1'),
      aDeviceFailed('first', 'vm-2', 'device is offline'),
    ]);
    expect(await jobRow('first')).toMatchObject({
      display_name: 'Raise fan speed',
      devices: ['vm-1', 'vm-2', 'vm-3'],
      operations: [{ type: 'setting', name: 'fanSpeed', value: 5 }],
      status: 'running',
      target_total: 3,
    });
    expect(await counts('first')).toEqual({ status: 'running', devices: 3, pending: 1, completed: 1, failed: 1 });
    expect(await deviceRows('first')).toEqual([
      { device_id: 'vm-1', display_name: 'Device vm-1', status: 'completed', error: null, deleted: false },
      { device_id: 'vm-2', display_name: 'Device vm-2', status: 'failed', error: 'device is offline', deleted: false },
      { device_id: 'vm-3', display_name: 'Device vm-3', status: 'pending', error: null, deleted: false },
    ]);
  });

  it('the same batch delivered twice leaves rows and counts unchanged (not even rewritten)', async () => {
    const batch = [
      aJobCreated('twice'),
      aJobTargetsResolved('twice', ['a', 'b']),
      aJobStarted('twice', 2),
      aDeviceSucceeded('twice', 'a'),
      anUnknownEvent('twice'),
    ];
    const consumer = new JobEventsConsumer(handler, db.dataSource);
    await consumer.onJobEvents(asJobMessages(batch));
    const jobBefore = await jobRow('twice');
    const devicesBefore = await db.dataSource.query(`SELECT *, xmin::text AS version FROM projection.job_devices WHERE job_id = 'twice' ORDER BY device_id`);
    await consumer.onJobEvents(asJobMessages(batch));
    expect(await jobRow('twice')).toEqual(jobBefore);
    expect(await db.dataSource.query(`SELECT *, xmin::text AS version FROM projection.job_devices WHERE job_id = 'twice' ORDER BY device_id`)).toEqual(devicesBefore);
    expect(await counts('twice')).toEqual({ status: 'running', devices: 2, pending: 1, completed: 1, failed: 0 });
  });

  it('out of order: outcomes before JobCreated and targets end like in order; a stopped job keeps counting', async () => {
    await handler.apply([aDeviceFailed('ooo', 'd2', 'rejected'), aDeviceSucceeded('ooo', 'd1')]);
    expect(await jobRow('ooo')).toMatchObject({ created_at: null, status: 'pending' });
    await handler.apply([aJobCreated('ooo'), aJobTargetsResolved('ooo', ['d1', 'd2', 'd3']), aJobStarted('ooo', 3)]);
    expect(await counts('ooo')).toEqual({ status: 'running', devices: 3, pending: 1, completed: 1, failed: 1 });
    await handler.apply([aJobStopped('ooo')]);
    await handler.apply([aDeviceSucceeded('ooo', 'd3'), aJobStarted('ooo', 3)]);
    expect(await counts('ooo')).toEqual({ status: 'stopped', devices: 3, pending: 0, completed: 2, failed: 1 });
  });

  it('two consumers racing on one job lose no update', async () => {
    const otherDataSource = await db.openAnother();
    const other = new JobBatchHandler(otherDataSource, new JobChangeNotifier());
    for (let round = 0; round < 5; round++) {
      const job = `race-${round}`;
      const devices = ids('dev', 600);
      await handler.apply([aJobCreated(job)]);
      // Each side's first batch creates rows for the job at the same moment; the job fields and
      // the counts written by one must survive the other.
      const left: FleetEvent[] = [aJobTargetsResolved(job, devices.slice(0, 300), 0), aJobStarted(job, 600)];
      const right: FleetEvent[] = [aJobTargetsResolved(job, devices.slice(300), 1), aJobTargetingCompleted(job, 600)];
      left.push(...devices.slice(0, 300).map((d) => aDeviceSucceeded(job, d)));
      right.push(...devices.slice(300).map((d) => aDeviceFailed(job, d)));
      await Promise.all([handler.apply(left), other.apply(right)]);
      expect(await counts(job)).toEqual({ status: 'running', devices: 600, pending: 0, completed: 300, failed: 300 });
      expect(await jobRow(job)).toMatchObject({ target_total: 600, started_at: expect.any(Date) });
    }
  });

  describe('deleted devices', () => {
    const at = (day: number) => `2026-03-${String(day).padStart(2, '0')}T12:00:00.000Z`;

    it('a deletion marks the device in jobs created before it, not in later jobs; the row stays', async () => {
      await handler.apply([aJobCreated('before-del', { createdAt: at(1) }), aJobTargetsResolved('before-del', ['gone-1', 'kept-1'])]);
      await handler.apply([aJobCreated('after-del', { createdAt: at(10) }), aJobTargetsResolved('after-del', ['gone-1'])]);
      await deletions.apply([aDeviceDeleted('gone-1', at(5))]);
      expect(await deviceRows('before-del')).toEqual([
        expect.objectContaining({ device_id: 'gone-1', deleted: true, status: 'pending' }),
        expect.objectContaining({ device_id: 'kept-1', deleted: false }),
      ]);
      expect(await deviceRows('after-del')).toEqual([expect.objectContaining({ device_id: 'gone-1', deleted: false })]);
    });

    it('targets arriving after the deletion are marked for jobs created before it', async () => {
      await deletions.apply([aDeviceDeleted('gone-2', at(5))]);
      await handler.apply([aJobCreated('late-targets', { createdAt: at(3) }), aJobStarted('late-targets', 2)]);
      await handler.apply([aJobTargetsResolved('late-targets', ['gone-2', 'kept-2'])]);
      await handler.apply([aJobCreated('new-job', { createdAt: at(6) }), aJobTargetsResolved('new-job', ['gone-2'])]);
      expect(await deviceRows('late-targets')).toEqual([
        expect.objectContaining({ device_id: 'gone-2', deleted: true }),
        expect.objectContaining({ device_id: 'kept-2', deleted: false }),
      ]);
      expect(await deviceRows('new-job')).toEqual([expect.objectContaining({ device_id: 'gone-2', deleted: false })]);
    });

    it('an outcome before JobCreated is marked once the job turns out to be older than the deletion', async () => {
      await deletions.apply([aDeviceDeleted('gone-3', at(5))]);
      await handler.apply([aDeviceSucceeded('placeholder-del', 'gone-3')]);
      expect(await deviceRows('placeholder-del')).toEqual([expect.objectContaining({ deleted: false })]);
      await handler.apply([aJobCreated('placeholder-del', { createdAt: at(4) })]);
      expect(await deviceRows('placeholder-del')).toEqual([expect.objectContaining({ device_id: 'gone-3', deleted: true, status: 'completed' })]);
    });

    it('registering the id again forgets the deletion without unmarking rows', async () => {
      await handler.apply([aJobCreated('reg-old', { createdAt: at(1) }), aJobTargetsResolved('reg-old', ['again'])]);
      await deletions.apply([aDeviceDeleted('again', at(5)), aDeviceRegistered('again', at(6))]);
      await handler.apply([aJobCreated('reg-late', { createdAt: at(2) }), aJobTargetsResolved('reg-late', ['again'])]);
      expect(await deviceRows('reg-old')).toEqual([expect.objectContaining({ deleted: true })]);
      expect(await deviceRows('reg-late')).toEqual([expect.objectContaining({ deleted: false })]);
      expect(await db.dataSource.query(`SELECT * FROM projection.deleted_devices WHERE device_id = 'again'`)).toEqual([]);
    });

    it('a deletion racing with the targets of an older job is never missed', async () => {
      // Forces the interleaving that loses a mark without the deletions lock: the deletion's
      // UPDATE is held on a row lock while the job batch writes and commits a new target row.
      const replica = await db.openAnother();
      const racingBatches = new JobBatchHandler(replica, new JobChangeNotifier());
      await handler.apply([aJobCreated('race-known', { createdAt: at(1) }), aJobTargetsResolved('race-known', ['racer'])]);
      await handler.apply([aJobCreated('race-late', { createdAt: at(1) })]);
      const locker = replica.createQueryRunner();
      await locker.connect();
      await locker.startTransaction();
      await locker.query(`SELECT 1 FROM projection.job_devices WHERE job_id = 'race-known' AND device_id = 'racer' FOR UPDATE`);
      const waiting = async (event: string) =>
        Number((await db.dataSource.query(`SELECT count(*) AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND wait_event = $1`, [event]))[0].n);
      try {
        const deletion = deletions.apply([aDeviceDeleted('racer', at(5))]);
        expect(await eventually(() => waiting('transactionid'), (n) => n > 0)).toBeGreaterThan(0);
        let batchDone = false;
        const batch = racingBatches.apply([aJobTargetsResolved('race-late', ['racer'])]).then(() => (batchDone = true));
        await eventually(async () => batchDone || (await waiting('advisory')) > 0, (settled) => settled);
        await locker.rollbackTransaction();
        await Promise.all([deletion, batch]);
      } finally {
        if (locker.isTransactionActive) await locker.rollbackTransaction();
        await locker.release();
      }
      expect(await deviceRows('race-late')).toEqual([expect.objectContaining({ device_id: 'racer', deleted: true })]);
      expect(await deviceRows('race-known')).toEqual([expect.objectContaining({ device_id: 'racer', deleted: true })]);
    });
  });

  // How fast is a benchmark's question (`npm run bench`); here: 20,000 outcomes in batches all land.
  it('applies 20,000 device outcomes consumed in batches of 500, each counted once', async () => {
    const devices = ids('perf', 20_000);
    await handler.apply([aJobCreated('perf'), aJobStarted('perf', devices.length)]);
    for (let chunk = 0; chunk < devices.length; chunk += 1000) {
      await handler.apply([aJobTargetsResolved('perf', devices.slice(chunk, chunk + 1000), chunk / 1000)]);
    }
    const consumer = new JobEventsConsumer(handler, db.dataSource);
    const messages = asJobMessages(devices.map((d) => aDeviceSucceeded('perf', d)));
    for (let offset = 0; offset < messages.length; offset += 500) await consumer.onJobEvents(messages.slice(offset, offset + 500));
    expect(await counts('perf')).toEqual({ status: 'running', devices: 20_000, pending: 0, completed: 20_000, failed: 0 });
  });
});
