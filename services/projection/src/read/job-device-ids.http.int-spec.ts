import { aDeviceFailed, aDeviceSucceeded, aJobCreated, aJobStarted, aJobTargetsResolved } from '../testing/job-event.builders';
import { JobBatchHandler } from '../jobs/job-batch.handler';
import { startProjectionApp, ProjectionTestApp } from '../testing/projection-test-app';
import { createProjectionTestDb, ProjectionTestDb } from '../testing/projection-test-db';

describe('GET /internal/jobs/{id}/device-ids', () => {
  let db: ProjectionTestDb;
  let service: ProjectionTestApp;
  const devices = Array.from({ length: 12 }, (_, n) => `vm-${String(n).padStart(2, '0')}`);
  const failed = devices.filter((_, n) => n % 3 === 1);

  const get = async (path: string) => {
    const response = await fetch(`${service.baseUrl}${path}`);
    return { status: response.status, body: await response.json() };
  };

  /** Every id the endpoint lists, page by page. */
  async function all(query: string): Promise<string[]> {
    const ids: string[] = [];
    let cursor: string | null = null;
    do {
      const { status, body } = await get(`/internal/jobs/rerun-me/device-ids?${query}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      expect(status).toBe(200);
      ids.push(...body.value);
      cursor = body.nextCursor;
    } while (cursor !== null && ids.length <= devices.length);
    return ids;
  }

  beforeAll(async () => {
    db = await createProjectionTestDb();
    service = await startProjectionApp(db.dataSource);
    await service.app.get(JobBatchHandler).apply([
      aJobCreated('rerun-me'),
      aJobTargetsResolved('rerun-me', [...devices].reverse()),
      aJobStarted('rerun-me', devices.length),
      ...devices.map((id, n) => (n % 3 === 1 ? aDeviceFailed('rerun-me', id) : aDeviceSucceeded('rerun-me', id))),
    ]);
  });
  afterAll(async () => {
    await service?.close();
    await db?.drop();
  });

  it('lists exactly the failed devices, in id order, across pages', async () => {
    expect(await all('status=failed&limit=3')).toEqual(failed);
    expect(await all('status=failed')).toEqual(failed);
  });

  it('lists every device of the job without a status', async () => {
    expect(await all('limit=5')).toEqual(devices);
  });

  it('answers 404 for a job it does not know, and 400 for a bad status or limit', async () => {
    expect((await get('/internal/jobs/nobody/device-ids?status=failed')).status).toBe(404);
    const badStatus = await get('/internal/jobs/rerun-me/device-ids?status=broken');
    expect(badStatus.status).toBe(400);
    expect(badStatus.body.errors).toEqual([expect.objectContaining({ field: 'status' })]);
    expect((await get('/internal/jobs/rerun-me/device-ids?limit=0')).status).toBe(400);
    expect((await get('/internal/jobs/rerun-me/device-ids?limit=10001')).status).toBe(400);
  });
});
