import { eventually, uniqueId } from '../support/fleetjobs.client';
import { createFleet, waitForJobEnd } from '../support/fleet.fixture';
import { systemUnderTest } from '../support/system-under-test';

const { api, hub } = systemUnderTest();

afterAll(() => hub.close());

const runId = (scheduleId: string, run: number) => `${scheduleId}.run-${run}`;

/** The schedule's runs as the jobs list shows them, newest first. */
const runsOf = (scheduleId: string) => api.all(`/api/jobs?scheduleId=${encodeURIComponent(scheduleId)}`);

/** A run stopped before its start: it settles stopped and reached no device. */
async function stoppedUnstarted(jobId: string) {
  const job = await eventually(() => api.get(`/api/jobs/${jobId}`), (r) => r.status === 200 && r.body.settledAt !== null, 60_000, `run ${jobId} to settle`);
  expect(job.body).toMatchObject({ status: 'stopped', startedAt: null, counts: { total: 0 } });
}

/** For `ms`, every look at the schedule's runs finds exactly `count`: no run is created meanwhile. */
async function noRunCreatedFor(scheduleId: string, count: number, ms: number): Promise<void> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    expect((await runsOf(scheduleId)).length).toBe(count);
    const created = await api.get(`/api/jobs/${runId(scheduleId, count + 1)}`);
    expect(created.status).toBe(404);
  }
}

describe('recurring schedules', () => {
  it('a recurring schedule produces linked runs: each its own job, completed on the devices, in order, none overlapping, then the schedule ends', async () => {
    const fleet = await createFleet(api, hub, { label: 'recurring', count: 3 });
    const scheduleId = uniqueId('recurring');
    const body = {
      displayName: 'Fan speed every 3 s',
      deviceSet: fleet.deviceSet,
      operations: [{ type: 'setting', name: 'fanSpeed', value: 4 }],
      schedule: { recurrence: { cron: '*/3 * * * * *', count: 3 } },
    };
    const created = await api.put(`/api/jobs/${scheduleId}`, body);
    expect(created.status).toBe(201);
    expect(created.headers.get('location')).toBe(`/api/schedules/${scheduleId}`);
    expect(created.body).toMatchObject({ id: runId(scheduleId, 1), status: 'pending', scheduleId, scheduleRun: 1 });
    expect(Date.parse(created.body.nextStartAt)).toBeGreaterThan(Date.parse(created.body.createdAt));
    // The same request again: the same run 1.
    expect(await api.put(`/api/jobs/${scheduleId}`, body)).toMatchObject({ status: 200, body: { id: runId(scheduleId, 1) } });

    const ended = await eventually(() => api.get(`/api/schedules/${scheduleId}`), (r) => r.status === 200 && r.body.status === 'ended', 120_000, 'the schedule to end');
    expect(ended.body).toMatchObject({ id: scheduleId, runs: 3, nextRunId: null, nextRunAt: null, lastRunId: runId(scheduleId, 3), recurrence: { cron: '*/3 * * * * *', count: 3 } });

    const runs = [];
    for (const run of [1, 2, 3]) {
      const job = await waitForJobEnd(api, runId(scheduleId, run));
      expect(job).toMatchObject({ status: 'completed', scheduleId, scheduleRun: run, counts: { total: 3, completed: 3 } });
      runs.push(job);
    }
    // In order and never overlapping: each run started once the one before had ended.
    for (let n = 1; n < runs.length; n += 1) {
      expect(Date.parse(runs[n].startedAt)).toBeGreaterThanOrEqual(Date.parse(runs[n - 1].endedAt));
      expect(Date.parse(runs[n].schedule.startAt)).toBeGreaterThan(Date.parse(runs[n - 1].schedule.startAt));
    }
    const listed = await eventually(() => runsOf(scheduleId), (jobs) => jobs.length === 3, 30_000, 'the three runs in the jobs list');
    expect(listed.map((job) => job.id)).toEqual([3, 2, 1].map((run) => runId(scheduleId, run)));
    expect((await api.get(`/api/jobs/${runId(scheduleId, 4)}`)).status).toBe(404);
    expect((await api.post(`/api/schedules/${scheduleId}/pause`)).status).toBe(409);
    const list = await api.all('/api/schedules');
    expect(list.find((schedule) => schedule.id === scheduleId)).toMatchObject({ status: 'ended', runs: 3 });
  });

  it('pause stops the pending run and creates none while paused; resume creates the next; delete stops it and the schedule is gone', async () => {
    const fleet = await createFleet(api, hub, { label: 'recurring-pause', count: 2 });
    const scheduleId = uniqueId('recurring-pause');
    const created = await api.put(`/api/jobs/${scheduleId}`, {
      displayName: 'Fan speed every 2 s',
      deviceSet: fleet.deviceSet,
      operations: [{ type: 'setting', name: 'fanSpeed', value: 6 }],
      schedule: { recurrence: { cron: '*/2 * * * * *' } },
    });
    expect(created.status).toBe(201);

    const paused = await api.post(`/api/schedules/${scheduleId}/pause`);
    expect(paused).toMatchObject({ status: 200, body: { status: 'paused', nextRunId: null, nextRunAt: null } });
    const runsAtPause: number = paused.body.runs;
    // The run pending at the pause (run 1, or a later one if run 1's start came first) never reaches a device.
    await stoppedUnstarted(runId(scheduleId, runsAtPause));
    expect((await api.post(`/api/schedules/${scheduleId}/pause`)).status).toBe(200);
    await eventually(() => runsOf(scheduleId), (jobs) => jobs.length === runsAtPause, 30_000, 'the runs so far in the jobs list');
    // Several occurrences pass while paused: no run is created.
    await noRunCreatedFor(scheduleId, runsAtPause, 5_000);

    const resumed = await api.post(`/api/schedules/${scheduleId}/resume`);
    expect(resumed).toMatchObject({ status: 200, body: { status: 'active', runs: runsAtPause + 1, nextRunId: runId(scheduleId, runsAtPause + 1) } });
    expect(await waitForJobEnd(api, runId(scheduleId, runsAtPause + 1))).toMatchObject({ status: 'completed', counts: { completed: 2 } });

    const deleted = await api.delete(`/api/schedules/${scheduleId}`);
    expect(deleted.status).toBe(204);
    expect((await api.get(`/api/schedules/${scheduleId}`)).status).toBe(404);
    expect((await api.delete(`/api/schedules/${scheduleId}`)).status).toBe(404);
    expect((await api.post(`/api/schedules/${scheduleId}/resume`)).status).toBe(404);
    // Its runs stay as jobs; the run pending at the delete was stopped before reaching a device, and none follows it.
    const newest = (jobs: { scheduleRun: number; status: string; id: string }[]) => [...jobs].sort((a, b) => b.scheduleRun - a.scheduleRun)[0];
    const runs = await eventually(
      () => runsOf(scheduleId),
      (jobs) => jobs.length > runsAtPause + 1 && newest(jobs).status === 'stopped',
      30_000,
      'the run pending at the delete, stopped, in the jobs list',
    );
    await stoppedUnstarted(newest(runs).id);
    await noRunCreatedFor(scheduleId, runs.length, 5_000);
  });
});
