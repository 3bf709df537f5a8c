import { JobBatchHandler } from '../jobs/job-batch.handler';
import {
  aJobCompleted,
  aJobCreated,
  aJobPaused,
  aJobStarted,
  aJobStopped,
  aJobTargetsResolved,
} from '../testing/job-event.builders';
import { startProjectionApp, ProjectionTestApp } from '../testing/projection-test-app';
import { createProjectionTestDb, ProjectionTestDb } from '../testing/projection-test-db';

describe('POST /internal/job-overlaps', () => {
  let db: ProjectionTestDb;
  let service: ProjectionTestApp;
  const ids = (from: number, to: number) => Array.from({ length: to - from }, (_, n) => `vm-${String(from + n).padStart(4, '0')}`);

  const ask = async (body: unknown) => {
    const response = await fetch(`${service.baseUrl}/internal/job-overlaps`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return { status: response.status, body: await response.json() };
  };

  beforeAll(async () => {
    db = await createProjectionTestDb();
    service = await startProjectionApp(db.dataSource);
    await service.app.get(JobBatchHandler).apply([
      // Running: devices 0..99, writes fanSpeed and location.
      aJobCreated('running-job', {
        displayName: 'Running job',
        operations: [
          { type: 'setting', name: 'fanSpeed', value: 3 },
          { type: 'property', name: 'location', value: 'Seattle' },
        ],
      }),
      aJobTargetsResolved('running-job', ids(0, 100)),
      aJobStarted('running-job', 100),
      // Paused: devices 50..149.
      aJobCreated('paused-job', { displayName: 'Paused job', operations: [{ type: 'command', name: 'reboot', value: {} }] }),
      aJobTargetsResolved('paused-job', ids(50, 150)),
      aJobStarted('paused-job', 100),
      aJobPaused('paused-job'),
      // Pending: devices 140..159, not started.
      aJobCreated('pending-job'),
      aJobTargetsResolved('pending-job', ids(140, 160)),
      // Ended jobs on the same devices overlap with nothing.
      aJobCreated('completed-job'),
      aJobTargetsResolved('completed-job', ids(0, 160)),
      aJobStarted('completed-job', 160),
      aJobCompleted('completed-job'),
      aJobCreated('stopped-job'),
      aJobTargetsResolved('stopped-job', ids(0, 160)),
      aJobStopped('stopped-job'),
    ]);
  });
  afterAll(async () => {
    await service?.close();
    await db?.drop();
  });

  it('counts, per active job, exactly the asked devices it holds, with its operations by name', async () => {
    const answer = await ask({ deviceIds: ids(90, 145) });
    expect(answer.status).toBe(200);
    expect(answer.body.value).toEqual([
      { jobId: 'paused-job', displayName: 'Paused job', status: 'paused', operations: [{ type: 'command', name: 'reboot' }], sharedDevices: 55 },
      { jobId: 'pending-job', displayName: 'Job pending-job', status: 'pending', operations: [{ type: 'setting', name: 'fanSpeed' }], sharedDevices: 5 },
      {
        jobId: 'running-job',
        displayName: 'Running job',
        status: 'running',
        operations: [
          { type: 'setting', name: 'fanSpeed' },
          { type: 'property', name: 'location' },
        ],
        sharedDevices: 10,
      },
    ]);
  });

  it('leaves out the asking job itself and counts an id asked twice once', async () => {
    const answer = await ask({ deviceIds: [...ids(0, 3), 'vm-0000'], excludeJobId: 'paused-job' });
    expect(answer.body.value).toEqual([expect.objectContaining({ jobId: 'running-job', sharedDevices: 3 })]);
    expect((await ask({ deviceIds: ids(50, 51), excludeJobId: 'running-job' })).body.value.map((row: { jobId: string }) => row.jobId)).toEqual([
      'paused-job',
    ]);
  });

  it('answers nothing for devices no active job holds', async () => {
    expect((await ask({ deviceIds: ['vm-9999'] })).body.value).toEqual([]);
    expect((await ask({ deviceIds: [] })).body.value).toEqual([]);
  });

  it('refuses more than 1000 ids, or anything but ids, naming the field', async () => {
    const tooMany = await ask({ deviceIds: ids(0, 1001) });
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.errors).toEqual([expect.objectContaining({ field: 'deviceIds' })]);
    expect((await ask({ deviceIds: 'vm-0001' })).status).toBe(400);
    expect((await ask({ deviceIds: ['..'] })).status).toBe(400);
  });
});
