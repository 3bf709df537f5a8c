import { JobBatchHandler } from '../jobs/job-batch.handler';
import { aDeviceFailed, aDeviceSucceeded, aJobCreated, aJobStarted, aJobTargetsResolved } from '../testing/job-event.builders';
import { startProjectionApp, ProjectionTestApp } from '../testing/projection-test-app';
import { createProjectionTestDb, ProjectionTestDb } from '../testing/projection-test-db';
import { PROJECTION_SCHEMA as S } from '../projection.tokens';

/** Several pages of the export's 1,000 rows each. */
const BIG_JOB_DEVICES = 5_500;

describe('Export of a job\'s devices (CSV, NDJSON)', () => {
  let db: ProjectionTestDb;
  let service: ProjectionTestApp;

  const get = async (path: string, accept?: string) => {
    const response = await fetch(`${service.baseUrl}${path}`, { headers: accept ? { accept } : {} });
    return { status: response.status, headers: response.headers, text: await response.text() };
  };

  beforeAll(async () => {
    db = await createProjectionTestDb();
    service = await startProjectionApp(db.dataSource);
    await service.app.get(JobBatchHandler).apply([
      aJobCreated('small', {}),
      aJobTargetsResolved('small', ['vm-1', 'vm-2', '=cmd', 'sensor-1']),
      aJobStarted('small', 4),
      aDeviceSucceeded('small', 'vm-1'),
      aDeviceFailed('small', 'vm-2', 'offline, "no answer"'),
      aDeviceFailed('small', '=cmd', 'Zeitüberschreitung 東京'),
      aJobCreated('big', {}),
      aJobStarted('big', BIG_JOB_DEVICES),
    ]);
    // Each row carries some text so that holding the whole result would show clearly in the heap.
    await db.dataSource.query(
      `INSERT INTO ${S}.job_devices (job_id, device_id, display_name, status, error, attempts)
         SELECT 'big', 'device-' || lpad(n::text, 7, '0'), 'Pump station number ' || n || ' on the north side of the plant',
                CASE WHEN n % 4 = 0 THEN 'failed' ELSE 'completed' END,
                CASE WHEN n % 4 = 0 THEN 'the device did not answer within the time allowed, attempt ' || n END, 1
         FROM generate_series(1, $1::int) AS n`,
      [BIG_JOB_DEVICES],
    );
  });
  afterAll(async () => {
    await service?.close();
    await db?.drop();
  });

  it('answers CSV for Accept: text/csv and for the .csv path, as an attachment named after the job', async () => {
    const byAccept = await get('/api/jobs/small/devices', 'text/csv');
    const byPath = await get('/api/jobs/small/devices.csv');
    for (const answer of [byAccept, byPath]) {
      expect(answer.status).toBe(200);
      expect(answer.headers.get('content-type')).toBe('text/csv; charset=utf-8');
      expect(answer.headers.get('content-disposition')).toBe('attachment; filename="small-devices.csv"');
    }
    expect(byPath.text).toBe(byAccept.text);
    expect(byAccept.text.split('\r\n')).toEqual([
      'deviceId,displayName,status,error,deleted,attempts',
      `'=cmd,Device =cmd,failed,Zeitüberschreitung 東京,false,`,
      'sensor-1,Device sensor-1,pending,,false,',
      'vm-1,Device vm-1,completed,,false,',
      'vm-2,Device vm-2,failed,"offline, ""no answer""",false,',
      '',
    ]);
  });

  it('answers NDJSON with the same items as the JSON list', async () => {
    const list = JSON.parse((await get('/api/jobs/small/devices')).text);
    for (const answer of [await get('/api/jobs/small/devices', 'application/x-ndjson'), await get('/api/jobs/small/devices.ndjson')]) {
      expect(answer.status).toBe(200);
      expect(answer.headers.get('content-type')).toBe('application/x-ndjson; charset=utf-8');
      expect(answer.headers.get('content-disposition')).toBe('attachment; filename="small-devices.ndjson"');
      expect(answer.text.trimEnd().split('\n').map((line) => JSON.parse(line))).toEqual(list.value);
    }
  });

  it('keeps JSON pages for Accept: */* and application/json', async () => {
    for (const accept of ['*/*', 'application/json', undefined]) {
      const answer = await get('/api/jobs/small/devices', accept);
      expect(answer.headers.get('content-type')).toContain('application/json');
      expect(JSON.parse(answer.text).value).toHaveLength(4);
    }
  });

  it('honours the status and search filters', async () => {
    const failed = await get('/api/jobs/small/devices.csv?status=failed&search=VM');
    expect(failed.text.split('\r\n').slice(1, -1)).toEqual(['vm-2,Device vm-2,failed,"offline, ""no answer""",false,']);
    const searched = await get('/api/jobs/small/devices?search=sensor', 'application/x-ndjson');
    expect(searched.text.trimEnd().split('\n').map((line) => JSON.parse(line).deviceId)).toEqual(['sensor-1']);
  });

  it('answers the same 400 problem as the JSON list for a bad filter, and 404 for an unknown job', async () => {
    const { instance: _instance, ...problem } = JSON.parse((await get('/api/jobs/small/devices?status=nope')).text);
    for (const [path, answer] of [
      ['/api/jobs/small/devices.csv', await get('/api/jobs/small/devices.csv?status=nope')],
      ['/api/jobs/small/devices', await get('/api/jobs/small/devices?status=nope', 'text/csv')],
    ] as const) {
      expect(answer.status).toBe(400);
      expect(answer.headers.get('content-type')).toContain('application/problem+json');
      expect(JSON.parse(answer.text)).toEqual({ ...problem, instance: path });
    }
    const missing = await get('/api/jobs/nope/devices.ndjson');
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toContain('application/problem+json');
  });

  it(`streams ${BIG_JOB_DEVICES} devices as CSV across pages, each once, in device order`, async () => {
    const response = await fetch(`${service.baseUrl}/api/jobs/big/devices.csv`);
    expect(response.status).toBe(200);
    const rows = (await response.text()).split('\r\n');
    expect(rows.pop()).toBe('');
    const ids = rows.slice(1).map((row) => row.split(',')[0]);
    expect(ids).toHaveLength(BIG_JOB_DEVICES);
    expect(new Set(ids).size).toBe(BIG_JOB_DEVICES);
    expect([...ids].sort()).toEqual(ids);
    expect(rows.filter((row) => row.includes(',failed,'))).toHaveLength(Math.floor(BIG_JOB_DEVICES / 4));
  });
});
