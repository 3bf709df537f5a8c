import { FleetEvent } from '@fleetjobs/contracts';
import { DeletedDevicesHandler } from '../devices/deleted-devices.handler';
import { JobBatchHandler } from '../jobs/job-batch.handler';
import { JobRetentionSweeper } from '../retention/job-retention.sweeper';
import {
  aDeviceDeleted,
  aDeviceFailed,
  aDeviceSucceeded,
  aJobApproved,
  aJobCompleted,
  aJobCreated,
  aJobFailed,
  aJobStarted,
  aJobStopped,
  aJobTargetsResolved,
} from '../testing/job-event.builders';
import { startProjectionApp, ProjectionTestApp } from '../testing/projection-test-app';
import { createProjectionTestDb, eventually, ProjectionTestDb } from '../testing/projection-test-db';

const DAY = 24 * 60 * 60 * 1000;
const daysAgo = (days: number, extraMs = 0) => new Date(Date.now() - days * DAY - extraMs).toISOString();

interface Listed {
  value: { id: string; status: string; createdAt: string }[];
  nextCursor: string | null;
}

describe('REST reads of jobs', () => {
  let db: ProjectionTestDb;
  let service: ProjectionTestApp;
  let batches: JobBatchHandler;

  const get = async (path: string) => {
    const response = await fetch(`${service.baseUrl}${path}`);
    const text = await response.text();
    return { status: response.status, type: response.headers.get('content-type'), body: text ? JSON.parse(text) : null };
  };
  const apply = (events: FleetEvent[]) => batches.apply(events);

  beforeAll(async () => {
    db = await createProjectionTestDb();
    service = await startProjectionApp(db.dataSource);
    batches = service.app.get(JobBatchHandler);
    // Fixture: one job with five devices, and a small list across every status.
    await apply([
      {
        ...aJobCreated('detail', { displayName: 'Raise fan speed', description: 'Hot week', devices: ['vm-1', 'vm-2'], createdAt: daysAgo(1) }),
        actor: { id: 'user:ada', name: 'Ada', role: 'operator', address: '10.0.0.7' },
      },
      aJobTargetsResolved('detail', ['VM-Alpha', 'vm-beta', 'vm-gamma', 'sensor-1', 'sensor-2']),
      aJobStarted('detail', 5, daysAgo(1)),
      aDeviceSucceeded('detail', 'VM-Alpha'),
      aDeviceFailed('detail', 'vm-beta', 'device is offline'),
      aDeviceSucceeded('detail', 'sensor-1'),
    ]);
  });
  afterAll(async () => {
    await service?.close();
    await db?.drop();
  });

  describe('GET /api/jobs/{id}', () => {
    it('answers the definition, status, timestamps and counts', async () => {
      const { status, body } = await get('/api/jobs/detail');
      expect(status).toBe(200);
      expect(body).toEqual({
        id: 'detail',
        displayName: 'Raise fan speed',
        description: 'Hot week',
        deviceSet: 'seattle-vms',
        devices: ['vm-1', 'vm-2'],
        operations: [{ type: 'setting', name: 'fanSpeed', value: 5 }],
        status: 'running',
        waitingFor: [],
        error: null,
        createdAt: expect.any(String),
        startedAt: expect.any(String),
        endedAt: null,
        counts: { total: 5, pending: 2, completed: 2, failed: 1 },
        rollout: null,
        rolloutProgress: null,
        createdBy: { id: 'user:ada', name: 'Ada' },
        stoppedBy: null,
        approval: null,
        rerunOf: null,
        settledAt: null,
        nextStartAt: null,
      });
    });

    it('answers a scheduled job as pending with its next start, until the start is reached', async () => {
      const startAt = new Date(Date.now() + 3_600_000).toISOString();
      await apply([aJobCreated('scheduled-detail', { createdAt: daysAgo(1), schedule: { startAt } })]);
      expect((await get('/api/jobs/scheduled-detail')).body).toMatchObject({ status: 'pending', schedule: { startAt }, nextStartAt: startAt });
      const reached = { ...aJobCreated('scheduled-detail'), id: 'scheduled-detail-reached', type: 'JobStartReached', data: { jobId: 'scheduled-detail', startAt, reachedAt: startAt } };
      await apply([reached as unknown as FleetEvent]);
      expect((await get('/api/jobs/scheduled-detail')).body).toMatchObject({ status: 'pending', schedule: { startAt }, nextStartAt: null });
    });

    it('answers the job a rerun repeats', async () => {
      await apply([aJobCreated('rerun-of-detail', { createdAt: daysAgo(1), rerunOf: 'detail' })]);
      expect((await get('/api/jobs/rerun-of-detail')).body).toMatchObject({ id: 'rerun-of-detail', rerunOf: 'detail' });
    });

    it('answers the job a revert reverts, and no revertOf for any other job', async () => {
      await apply([aJobCreated('revert-of-detail', { createdAt: daysAgo(1), revertOf: 'detail' })]);
      expect((await get('/api/jobs/revert-of-detail')).body).toMatchObject({ id: 'revert-of-detail', revertOf: 'detail' });
      expect((await get('/api/jobs/rerun-of-detail')).body).not.toHaveProperty('revertOf');
    });

    it('answers the schedule a run belongs to, and lists a schedule’s runs alone', async () => {
      await apply([
        aJobCreated('nightly.run-1', { createdAt: daysAgo(2), scheduleId: 'nightly', scheduleRun: 1 }),
        aJobCreated('nightly.run-2', { createdAt: daysAgo(1), scheduleId: 'nightly', scheduleRun: 2 }),
      ]);
      expect((await get('/api/jobs/nightly.run-2')).body).toMatchObject({ id: 'nightly.run-2', scheduleId: 'nightly', scheduleRun: 2 });
      expect((await get('/api/jobs/revert-of-detail')).body).not.toHaveProperty('scheduleId');
      expect((await get('/api/jobs?scheduleId=nightly')).body.value.map((job: { id: string }) => job.id)).toEqual(['nightly.run-2', 'nightly.run-1']);
      expect((await get('/api/jobs?scheduleId=not%20an%20id')).status).toBe(400);
    });

    it('answers a job awaiting approval as pending with its reason, and who approved it once approved', async () => {
      const approval = { required: true as const, reason: 'more than 100 devices' };
      await apply([aJobCreated('needs-ok', { createdAt: daysAgo(1), approval })]);
      expect((await get('/api/jobs/needs-ok')).body).toMatchObject({ status: 'pending', approval: { ...approval, approvedBy: null, approvedAt: null } });
      await apply([aJobApproved('needs-ok', daysAgo(0), { id: 'user:bob', name: 'Bob' })]);
      expect((await get('/api/jobs/needs-ok')).body).toMatchObject({
        status: 'pending',
        approval: { ...approval, approvedBy: { id: 'user:bob', name: 'Bob' }, approvedAt: expect.any(String) },
      });
    });

    it('answers zero counts before targets are resolved, and the reason of a failed job', async () => {
      await apply([aJobCreated('no-targets', { createdAt: daysAgo(1) }), aJobFailed('no-targets', 'device set "x" is broken', daysAgo(0))]);
      const { body } = await get('/api/jobs/no-targets');
      expect(body).toMatchObject({ status: 'failed', error: 'device set "x" is broken', counts: { total: 0, pending: 0, completed: 0, failed: 0 } });
      expect(body.endedAt).toEqual(expect.any(String));
    });

    it('answers 404 for an unknown job and for a job only known from later events', async () => {
      await apply([aDeviceSucceeded('only-outcomes', 'vm-1')]);
      for (const id of ['nope', 'only-outcomes']) {
        const { status, type, body } = await get(`/api/jobs/${id}`);
        expect(status).toBe(404);
        expect(type).toContain('application/problem+json');
        expect(body.detail).toContain(id);
      }
    });

    it('answers 400 naming id for an id outside the id alphabet', async () => {
      const { status, body } = await get(`/api/jobs/${encodeURIComponent('bad id!')}`);
      expect(status).toBe(400);
      expect(body.errors).toEqual([expect.objectContaining({ field: 'id' })]);
    });
  });

  describe('GET /api/jobs', () => {
    beforeAll(async () => {
      await apply([
        aJobCreated('l-old-completed', { createdAt: daysAgo(5) }),
        aJobCompleted('l-old-completed', daysAgo(4)),
        aJobCreated('l-new-stopped', { createdAt: daysAgo(0, -1000) }),
        aJobStopped('l-new-stopped', daysAgo(0)),
        aJobCreated('l-old-running', { createdAt: daysAgo(3) }),
        aJobStarted('l-old-running', 0, daysAgo(3)),
        aJobCreated('l-new-pending', { createdAt: daysAgo(0, -2000) }),
        aJobCreated('l-mid-failed', { createdAt: daysAgo(2) }),
        aJobFailed('l-mid-failed', 'no devices', daysAgo(2)),
      ]);
    });

    async function listAll(query = '', limit = 100): Promise<Listed['value']> {
      const all: Listed['value'] = [];
      let cursor: string | null = null;
      do {
        const page: { status: number; body: Listed } = await get(`/api/jobs?limit=${limit}${query}${cursor ? `&cursor=${cursor}` : ''}`);
        expect(page.status).toBe(200);
        all.push(...page.body.value);
        cursor = page.body.nextCursor;
      } while (cursor);
      return all;
    }

    it('lists pending and running jobs first, then the rest, newest first within each', async () => {
      const ids = (await listAll()).map((job) => job.id).filter((id) => id.startsWith('l-'));
      expect(ids).toEqual(['l-new-pending', 'l-old-running', 'l-new-stopped', 'l-mid-failed', 'l-old-completed']);
    });

    it('filters by status', async () => {
      const { body } = await get('/api/jobs?status=running');
      expect(body.value.map((job: { id: string }) => job.id)).toEqual(['detail', 'l-old-running']);
      expect(body.value.every((job: { status: string }) => job.status === 'running')).toBe(true);
    });

    it('pages through 250 jobs with limit 100, each exactly once, in order', async () => {
      const events: FleetEvent[] = [];
      for (let i = 0; i < 250; i++) {
        const id = `page-${String(i).padStart(3, '0')}`;
        // Pairs share a creation time so that the id breaks ties; a third have ended.
        events.push(aJobCreated(id, { createdAt: daysAgo(1, Math.floor(i / 2) * 1000) }));
        if (i % 3 === 0) events.push(aJobCompleted(id, daysAgo(0)));
      }
      await apply(events);
      const pages: number[] = [];
      const all: Listed['value'] = [];
      let cursor: string | null = null;
      do {
        const page: { body: Listed } = await get(`/api/jobs?limit=100${cursor ? `&cursor=${cursor}` : ''}`);
        pages.push(page.body.value.length);
        all.push(...page.body.value);
        cursor = page.body.nextCursor;
      } while (cursor);
      const paged = all.filter((job) => job.id.startsWith('page-')).map((job) => job.id);
      expect(paged).toHaveLength(250);
      expect(new Set(paged).size).toBe(250);
      const total = (await listAll('', 1000)).map((job) => job.id);
      expect(all.map((job) => job.id)).toEqual(total);
      expect(pages.slice(0, -1).every((size) => size === 100)).toBe(true);
      const rank = (job: Listed['value'][number]) => (job.status === 'pending' || job.status === 'running' ? 0 : 1);
      for (let i = 1; i < all.length; i++) {
        const [a, b] = [all[i - 1], all[i]];
        const ordered = rank(a) < rank(b) || (rank(a) === rank(b) && (a.createdAt > b.createdAt || (a.createdAt === b.createdAt && a.id > b.id)));
        expect(ordered).toBe(true);
      }
    });

    it('answers 400 naming status, limit and cursor', async () => {
      for (const [query, field] of [
        ['status=done', 'status'],
        ['status=pending&status=running', 'status'],
        ['limit=0', 'limit'],
        ['limit=1001', 'limit'],
        ['limit=abc', 'limit'],
        ['cursor=garbage', 'cursor'],
        [`cursor=${Buffer.from(JSON.stringify([7, 'x', 1])).toString('base64url')}`, 'cursor'],
        [`cursor=${Buffer.from(JSON.stringify([0, 'not a time', 'id'])).toString('base64url')}`, 'cursor'],
        [`cursor=${Buffer.from(JSON.stringify([0, '+275760-09-13T00:00:00.000Z', 'id'])).toString('base64url')}`, 'cursor'],
        [`cursor=${Buffer.from(JSON.stringify([0, '0000-06-01T00:00:00.000Z', 'id'])).toString('base64url')}`, 'cursor'],
      ]) {
        const { status, type, body } = await get(`/api/jobs?${query}`);
        expect({ query, status }).toEqual({ query, status: 400 });
        expect(type).toContain('application/problem+json');
        expect(body.errors.map((error: { field: string }) => error.field)).toEqual([field]);
      }
    });
  });

  describe('GET /api/jobs/{id}/devices', () => {
    it('lists every device of the job by id with its status, error and deleted mark', async () => {
      const { status, body } = await get('/api/jobs/detail/devices');
      expect(status).toBe(200);
      expect(body.nextCursor).toBeNull();
      // Byte order of ids: upper case before lower case, whatever the server's locale.
      expect(body.value.map((d: { deviceId: string }) => d.deviceId)).toEqual(['VM-Alpha', 'sensor-1', 'sensor-2', 'vm-beta', 'vm-gamma']);
      expect(body.value).toContainEqual({ deviceId: 'vm-beta', displayName: 'Device vm-beta', status: 'failed', error: 'device is offline', deleted: false, attempts: null });
      expect(body.value).toHaveLength(5);
    });

    it('filters by status and searches the device id case-insensitively', async () => {
      const failed = await get('/api/jobs/detail/devices?status=failed');
      expect(failed.body.value.map((d: { deviceId: string }) => d.deviceId)).toEqual(['vm-beta']);
      const search = await get('/api/jobs/detail/devices?search=vM-');
      expect(search.body.value.map((d: { deviceId: string }) => d.deviceId)).toEqual(['VM-Alpha', 'vm-beta', 'vm-gamma']);
      const inside = await get('/api/jobs/detail/devices?search=ENSOR&status=pending');
      expect(inside.body.value.map((d: { deviceId: string }) => d.deviceId)).toEqual(['sensor-2']);
      const wildcard = await get(`/api/jobs/detail/devices?search=${encodeURIComponent('%')}`);
      expect(wildcard.body.value).toEqual([]);
    });

    it('pages by device id', async () => {
      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const page: { body: { value: { deviceId: string }[]; nextCursor: string | null } } = await get(
          `/api/jobs/detail/devices?limit=2${cursor ? `&cursor=${cursor}` : ''}`,
        );
        seen.push(...page.body.value.map((d) => d.deviceId));
        cursor = page.body.nextCursor;
        pages += 1;
      } while (cursor);
      expect(pages).toBe(3);
      const all = (await get('/api/jobs/detail/devices')).body.value.map((d: { deviceId: string }) => d.deviceId);
      expect(seen).toEqual(all);
    });

    it('keeps a device deleted after the job was created in the list, marked deleted', async () => {
      await service.app.get(DeletedDevicesHandler).apply([aDeviceDeleted('sensor-2', daysAgo(0))]);
      const { body } = await get('/api/jobs/detail/devices?search=sensor');
      expect(body.value).toEqual([
        expect.objectContaining({ deviceId: 'sensor-1', deleted: false }),
        { deviceId: 'sensor-2', displayName: 'Device sensor-2', status: 'pending', error: null, deleted: true, attempts: null },
      ]);
    });

    it('answers 404 for an unknown job and 400 naming status, search, limit and cursor', async () => {
      expect((await get('/api/jobs/nope/devices')).status).toBe(404);
      for (const [query, field] of [
        ['status=running', 'status'],
        [`search=${'x'.repeat(129)}`, 'search'],
        ['limit=-1', 'limit'],
        [`cursor=${Buffer.from(JSON.stringify([1])).toString('base64url')}`, 'cursor'],
        ['cursor=%%%', 'cursor'],
      ]) {
        const { status, body } = await get(`/api/jobs/detail/devices?${query}`);
        expect({ query, status }).toEqual({ query, status: 400 });
        expect(body.errors.map((error: { field: string }) => error.field)).toEqual([field]);
      }
    });
  });

  describe('retention (30 days)', () => {
    it('hides jobs that ended more than 30 days ago, and the sweep deletes them with their devices', async () => {
      await apply([
        aJobCreated('r-expired', { createdAt: daysAgo(40) }),
        aJobTargetsResolved('r-expired', ['old-1', 'old-2']),
        aJobCompleted('r-expired', daysAgo(31)),
        aJobCreated('r-kept', { createdAt: daysAgo(40) }),
        aJobStopped('r-kept', daysAgo(29)),
        aJobCreated('r-long-running', { createdAt: daysAgo(45) }),
        aJobStarted('r-long-running', 0, daysAgo(45)),
      ]);
      const listed = (await get('/api/jobs?limit=1000')).body.value.map((job: { id: string }) => job.id);
      expect(listed).toEqual(expect.arrayContaining(['r-kept', 'r-long-running']));
      expect(listed).not.toContain('r-expired');
      expect((await get('/api/jobs/r-expired')).status).toBe(404);
      expect((await get('/api/jobs/r-expired/devices')).status).toBe(404);

      const deleted = await service.app.get(JobRetentionSweeper).sweep();
      expect(deleted).toBe(1);
      expect(await db.dataSource.query(`SELECT id FROM projection.jobs WHERE id LIKE 'r-%' ORDER BY id`)).toEqual([
        { id: 'r-kept' },
        { id: 'r-long-running' },
      ]);
      expect(await db.dataSource.query(`SELECT * FROM projection.job_devices WHERE job_id = 'r-expired'`)).toEqual([]);
    });

    it('with a retention of 0 days, the sweep at start deletes every ended job', async () => {
      const zero = await startProjectionApp(db.dataSource, { retentionDays: 0 });
      try {
        const left = await eventually(
          () => db.dataSource.query(`SELECT count(*)::int AS n FROM projection.jobs WHERE ended_at IS NOT NULL`),
          (rows: { n: number }[]) => rows[0].n === 0,
        );
        expect(left).toEqual([{ n: 0 }]);
        expect((await get('/api/jobs/detail')).status).toBe(200);
        expect((await get('/api/jobs/l-new-stopped')).status).toBe(404);
      } finally {
        await zero.close();
      }
    });
  });
});
