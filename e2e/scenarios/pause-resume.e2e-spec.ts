import { LoggedOperation } from '@fleetjobs/hub-simulator';
import { eventually, uniqueId } from '../support/fleetjobs.client';
import { createFleet, waitForJobEnd } from '../support/fleet.fixture';
import { allHubOperations } from '../support/hub-operations';
import { systemUnderTest } from '../support/system-under-test';

const { api, hub } = systemUnderTest();

afterAll(() => hub.close());

/**
 * The hub's limit until the resume: below what the job asks of it (40 devices a second, each at
 * least one patch, plus the acknowledgement queries), so 429s come while the pause is decided.
 */
const HUB_REQUESTS_PER_SECOND = 25;
const DEVICES = 300;
/**
 * The job's own pace (40 devices a second), so that it is mid-flight for a while. Its devices
 * acknowledge after 200 ms of their own, but behind a hub that refuses most reads the poll that
 * sees it can come much later on a busy machine: the deadline is the longest a job may set, so
 * that a device fails only when it never acknowledges, which none of these does.
 */
const ROLLOUT = { rate: { perMinute: 2400 }, timeoutSeconds: 300 };
/** Devices of a job run while the first is paused: the dispatchers claim work all along. */
const PROBE_DEVICES = 20;
const SETTING = { type: 'setting', name: 'fanSpeed', value: 3 } as const;

/** Desired-property patches of the setting on the fleet's devices: the requests of the job that change a device. */
async function settingPatches(deviceIds: Set<string>): Promise<LoggedOperation[]> {
  return (await allHubOperations(hub, { kind: 'twin-patch' })).filter((entry) => {
    if (!deviceIds.has(entry.deviceId)) return false;
    const desired = (entry.payload as { properties?: { desired?: Record<string, unknown> } } | null)?.properties?.desired;
    return desired !== undefined && SETTING.name in desired;
  });
}

/** A moment on the hub's arrival clock that every request sent before now has passed (see stop.e2e-spec.ts). */
async function hubClockAfter(): Promise<number> {
  await hub.arrivalMark();
  return Date.parse(await hub.arrivalMark());
}

/** The statuses the job's live stream sends, in order, until it ends after a terminal status. */
function liveStatuses(jobId: string): { statuses: string[]; ended: Promise<void> } {
  const statuses: string[] = [];
  const ended = (async () => {
    const response = await fetch(`${api.baseUrl}/api/jobs/${jobId}/stream`, { headers: api.authHeaders() });
    if (response.status !== 200) throw new Error(`the job's stream answered ${response.status}`);
    await api.conforms('GET', `/api/jobs/${jobId}/stream`, response);
    const decoder = new TextDecoder();
    let buffered = '';
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
      buffered += decoder.decode(chunk, { stream: true });
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) {
        if (!line.startsWith('data: ')) continue;
        const status = (JSON.parse(line.slice('data: '.length)) as { status: string }).status;
        if (statuses[statuses.length - 1] !== status) statuses.push(status);
      }
    }
  })();
  return { statuses, ended };
}

describe('pausing and resuming a setting job while the hub throttles', () => {
  beforeAll(() => hub.setMaxRequestsPerSecond(HUB_REQUESTS_PER_SECOND));
  afterAll(() => hub.setMaxRequestsPerSecond(null));

  it('sends nothing of the job while paused, and once resumed completes every device once', async () => {
    const fleet = await createFleet(api, hub, { label: 'pause', count: DEVICES, simulator: () => ({ latencyMs: 200 }) });
    const deviceIds = new Set(fleet.deviceIds);
    const probe = await createFleet(api, hub, { label: 'pause-probe', count: PROBE_DEVICES });
    const jobId = uniqueId('pause');
    const throttledAtStart = (await hub.stats()).throttled;
    const created = await api.put(`/api/jobs/${jobId}`, {
      displayName: 'Paused mid-flight',
      deviceSet: fleet.deviceSet,
      operations: [SETTING],
      rollout: ROLLOUT,
    });
    expect(created.status).toBe(201);
    // The pause must meet work in flight and a hub refusing requests.
    await eventually(
      async () => ({ job: (await api.get(`/api/jobs/${jobId}`)).body, throttled: (await hub.stats()).throttled }),
      ({ job, throttled }) => job?.counts?.completed >= 20 && throttled > throttledAtStart,
      120_000,
      'some devices done and the hub throttling',
    );
    const live = liveStatuses(jobId);

    const paused = await api.post(`/api/jobs/${jobId}/pause`);
    const answeredAt = await hubClockAfter();
    expect(paused.status).toBe(200);
    expect(paused.body.status).toBe('paused');

    // What was in flight finishes: every device the hub saw a change for gets its outcome.
    const drained = await eventually(
      async () => {
        const patched = new Set((await settingPatches(deviceIds)).map((patch) => patch.deviceId));
        const pending = new Set((await api.all(`/api/jobs/${jobId}/devices?status=pending`)).map((row) => row.deviceId as string));
        return { job: (await api.get(`/api/jobs/${jobId}`)).body, patched, pending };
      },
      ({ job, patched, pending }) => job.status === 'paused' && [...patched].every((deviceId) => !pending.has(deviceId)),
      120_000,
      'the paused job shown paused, with every device reached before the pause recorded',
    );
    expect(drained.pending.size).toBeGreaterThan(0);

    // While paused, the dispatchers go on claiming, fairly across jobs: a job on other devices runs
    // to its end beside it, so they had every chance to take up the paused job's devices too.
    const probeId = uniqueId('pause-probe');
    expect((await api.put(`/api/jobs/${probeId}`, { displayName: 'Beside a paused job', deviceSet: probe.deviceSet, operations: [{ type: 'property', name: 'location', value: 'Aisle 3' }] })).status).toBe(201);
    expect(await waitForJobEnd(api, probeId, 120_000)).toMatchObject({ status: 'completed', counts: { completed: PROBE_DEVICES } });
    const watchedUntil = await hubClockAfter();

    // No change of the paused job reached the hub after the pause was answered; only what was in
    // flight then concluded (a patch the hub was still writing down when the drain was judged),
    // no device was started afresh, and the job still shows paused.
    const whilePaused = await settingPatches(deviceIds);
    const late = whilePaused.filter((patch) => Date.parse(patch.receivedAt) > answeredAt);
    expect(late).toEqual([]);
    const stillPaused = (await api.get(`/api/jobs/${jobId}`)).body;
    expect(stillPaused.status).toBe('paused');
    const pendingNow = new Set((await api.all(`/api/jobs/${jobId}/devices?status=pending`)).map((row) => row.deviceId as string));
    expect([...pendingNow].filter((deviceId) => !drained.pending.has(deviceId))).toEqual([]);
    const reachedBefore = new Set(whilePaused.map((patch) => patch.deviceId));
    expect([...drained.pending].filter((deviceId) => !pendingNow.has(deviceId) && !reachedBefore.has(deviceId))).toEqual([]);
    expect(pendingNow.size).toBeGreaterThan(0);

    // A second pause answers the same; resuming a job that is not paused is refused, naming why.
    expect((await api.post(`/api/jobs/${jobId}/pause`)).body.status).toBe('paused');
    // The rest runs at the job's own pace: under 429s, acknowledgements read too late fail devices, which is not what this tests.
    const throttledWhilePaused = (await hub.stats()).throttled - throttledAtStart;
    await hub.setMaxRequestsPerSecond(null);
    const resumed = await api.post(`/api/jobs/${jobId}/resume`);
    expect(resumed.status).toBe(200);
    expect(resumed.body.status).toBe('running');
    const again = await api.post(`/api/jobs/${jobId}/resume`);
    expect(again.status).toBe(409);
    expect(again.body.detail).toMatch(/not paused/);

    const ended = await waitForJobEnd(api, jobId, 240_000);
    const rows = await api.all(`/api/jobs/${jobId}/devices`);
    expect(rows).toHaveLength(DEVICES);
    expect(new Set(rows.map((row) => row.deviceId)).size).toBe(DEVICES);
    expect(rows.filter((row) => row.status !== 'completed')).toEqual([]);
    expect(ended.status).toBe('completed');
    expect(ended.counts).toMatchObject({ total: DEVICES, completed: DEVICES, failed: 0, pending: 0 });
    const perDevice = new Map<string, number>();
    for (const patch of await settingPatches(deviceIds)) perDevice.set(patch.deviceId, (perDevice.get(patch.deviceId) ?? 0) + 1);
    expect(perDevice.size).toBe(DEVICES);
    expect([...perDevice].filter(([, count]) => count > 1)).toEqual([]);

    // The live stream showed the pause and the resume as they happened, and ended with the job.
    await live.ended;
    expect(live.statuses.slice(-3)).toEqual(['paused', 'running', 'completed']);

    const stopped = await api.post(`/api/jobs/${jobId}/pause`);
    expect(stopped.status).toBe(409);
    expect(stopped.body.detail).toMatch(/already ended \(completed\)/);
    process.stdout.write(
      `pause/resume: ${DEVICES - pendingNow.size} devices done before the pause, ${pendingNow.size} waited; ` +
        `0 changes in ${watchedUntil - answeredAt} ms paused; every device patched once; ${throttledWhilePaused} requests throttled up to the resume\n`,
    );
  }, 420_000);
});
