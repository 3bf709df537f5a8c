import { eventually, uniqueId } from '../support/fleetjobs.client';
import { createFleet, waitForJobEnd } from '../support/fleet.fixture';
import { allHubOperations } from '../support/hub-operations';
import { systemUnderTest } from '../support/system-under-test';

const { api, hub } = systemUnderTest();

afterAll(() => hub.close());

const DEVICES = 60;
/** Every fifth device refuses the command, so that the job has failed devices to show. */
const failing = (index: number) => index % 5 === 4;
/** The job's own pace (5 devices a second), so that it is mid-flight for a while even on a busy machine. */
const ROLLOUT = { rate: { perMinute: 300 } };
const REBOOT = { type: 'command', name: 'reboot', value: {} } as const;

interface Seen {
  job: Record<string, unknown> & { status: string; counts: Record<string, number> };
  devices: Record<string, string>;
}

/** The job and each device's status, as the API answers them now. */
async function look(jobId: string): Promise<Seen> {
  const job = (await api.get(`/api/jobs/${jobId}`)).body;
  const devices = Object.fromEntries((await api.all(`/api/jobs/${jobId}/devices`)).map((row) => [row.deviceId, row.status]));
  return { job, devices };
}

/** The same without what the read model does not keep over time. */
const comparable = (job: Seen['job']) => ({ ...job, rolloutProgress: null });

/** Longer than the projection takes to show an event (its lag on a busy machine). */
const PROJECTION_LAG_MS = 2000;

/**
 * What the API answered at a moment when nothing was changing: an instant, and two looks that
 * agree, one before it and one once the hub's clock has passed it by more than the projection's
 * lag, so that no event older than the instant can still be on its way to the read model.
 */
async function settledMoment(jobId: string, settled: (seen: Seen) => Promise<boolean> | boolean, what: string): Promise<Seen & { at: string }> {
  return eventually(
    async () => {
      const before = await look(jobId);
      const at = new Date().toISOString();
      await eventually(async () => Date.parse(await hub.arrivalMark()), (mark) => mark >= Date.parse(at) + PROJECTION_LAG_MS, 60_000, 'the hub clock past the moment');
      const after = await look(jobId);
      const agree = JSON.stringify(before) === JSON.stringify(after) && (await settled(before));
      return { ...before, at, agree };
    },
    (moment) => moment.agree,
    120_000,
    what,
  );
}

/** The job and each device's status as the API answers them for `?at=`; the devices read in small pages. */
async function lookAt(jobId: string, at: string): Promise<Seen> {
  const query = `at=${encodeURIComponent(at)}`;
  const job = await api.get(`/api/jobs/${jobId}?${query}`);
  expect(job.status).toBe(200);
  const devices = Object.fromEntries((await api.all(`/api/jobs/${jobId}/devices?${query}`, 7)).map((row) => [row.deviceId, row.status]));
  return { job: job.body, devices };
}

describe('a job at any moment (?at=)', () => {
  it('answers what the API answered at three moments of a job, and nothing before it existed', async () => {
    const fleet = await createFleet(api, hub, {
      label: 'at',
      count: DEVICES,
      simulator: (index) => (failing(index) ? { latencyMs: 100, failCommands: ['reboot'] } : { latencyMs: 100 }),
    });
    const deviceIds = new Set(fleet.deviceIds);
    const jobId = uniqueId('at');
    const beforeCreation = new Date(Date.now() - 1000).toISOString();
    expect((await api.put(`/api/jobs/${jobId}`, { displayName: 'Reboot at any moment', deviceSet: fleet.deviceSet, operations: [REBOOT], rollout: ROLLOUT })).status).toBe(201);

    // Running: what the API showed then is a lower bound of what had happened by then.
    const running = await eventually(() => look(jobId), (seen) => seen.job.status === 'running' && seen.job.counts.completed >= 5, 120_000, 'the job running');
    const runningAt = new Date().toISOString();

    // Paused mid-way, once every device the hub was asked to reboot has its outcome.
    expect((await api.post(`/api/jobs/${jobId}/pause`)).status).toBe(200);
    const paused = await settledMoment(
      jobId,
      async (seen) => {
        const reached = (await allHubOperations(hub, { kind: 'method' })).filter((call) => deviceIds.has(call.deviceId));
        return seen.job.status === 'paused' && reached.every((call) => seen.devices[call.deviceId] !== 'pending');
      },
      'the paused job settled',
    );
    expect(paused.job.counts.pending).toBeGreaterThan(0);
    expect(paused.job.counts.completed + paused.job.counts.failed).toBeGreaterThan(0);

    expect((await api.post(`/api/jobs/${jobId}/resume`)).status).toBe(200);
    await waitForJobEnd(api, jobId, 240_000);
    const ended = await settledMoment(jobId, (seen) => seen.job.counts.completed + seen.job.counts.failed === DEVICES, 'the ended job settled');
    expect(ended.job).toMatchObject({ status: 'failed', counts: { total: DEVICES, pending: 0, failed: DEVICES / 5 } });

    // Asked afterwards, each moment answers as the API did then.
    for (const moment of [paused, ended]) {
      const then = await lookAt(jobId, moment.at);
      expect(comparable(then.job)).toEqual(comparable(moment.job));
      expect(then.devices).toEqual(moment.devices);
    }
    // The status filter applies to the status then, with paging.
    const failedThen = await api.all(`/api/jobs/${jobId}/devices?status=failed&at=${encodeURIComponent(paused.at)}`, 3);
    expect(failedThen.map((row) => row.deviceId).sort()).toEqual(Object.keys(paused.devices).filter((id) => paused.devices[id] === 'failed').sort());

    const whileRunning = await lookAt(jobId, runningAt);
    expect(whileRunning.job.status).toBe('running');
    for (const status of ['completed', 'failed'] as const) {
      expect(whileRunning.job.counts[status]).toBeGreaterThanOrEqual(running.job.counts[status]);
      expect(whileRunning.job.counts[status]).toBeLessThanOrEqual(paused.job.counts[status]);
    }
    const doneWhileRunning = Object.entries(running.devices).filter(([, status]) => status !== 'pending');
    expect(doneWhileRunning.filter(([id, status]) => whileRunning.devices[id] !== status)).toEqual([]);

    // Before the job existed: not found. An unreadable or future instant: refused, naming `at`.
    expect((await api.get(`/api/jobs/${jobId}?at=${encodeURIComponent(beforeCreation)}`)).status).toBe(404);
    expect((await api.get(`/api/jobs/${jobId}/devices?at=${encodeURIComponent(beforeCreation)}`)).status).toBe(404);
    for (const bad of ['yesterday', new Date(Date.now() + 3_600_000).toISOString(), '10000-01-01T00:00:00Z']) {
      for (const path of [`/api/jobs/${jobId}`, `/api/jobs/${jobId}/devices`]) {
        const refused = await api.get(`${path}?at=${encodeURIComponent(bad)}`);
        expect({ bad, status: refused.status, fields: refused.body.errors?.map((error: { field: string }) => error.field) }).toEqual({ bad, status: 400, fields: ['at'] });
      }
    }
    process.stdout.write(
      `job at any moment: running ${JSON.stringify(whileRunning.job.counts)} (live lower bound ${JSON.stringify(running.job.counts)}), ` +
        `paused ${JSON.stringify(paused.job.counts)}, ended ${JSON.stringify(ended.job.counts)}\n`,
    );
  }, 420_000);
});
