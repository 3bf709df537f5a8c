import { eventually, uniqueId } from '../support/fleetjobs.client';
import { createFleet } from '../support/fleet.fixture';
import { allHubOperations } from '../support/hub-operations';
import { systemUnderTest } from '../support/system-under-test';

const { api, hub, topology } = systemUnderTest();

afterAll(() => hub.close());

/** The hub's limit, which the job is not told: it has to find it from the hub's 429s. */
const HIDDEN_PER_SECOND = 5;
const DEVICES = 360;
const RATE = { mode: 'adaptive', minPerMinute: 60, maxPerMinute: 3000 } as const;

/**
 * Waits until the hub has every device of the fleet with its tags: the registry sync's own
 * requests must be over before the hub starts throttling, or its 429s would count as the job's.
 */
async function untilTheHubHasEvery(deviceIds: string[], fleet: string): Promise<void> {
  let missing = deviceIds;
  await eventually(
    async () => {
      const still: string[] = [];
      for (const id of missing) {
        const twin = await hub.request('GET', `/twins/${encodeURIComponent(id)}?api-version=2021-04-12`);
        if (twin.status !== 200 || (twin.body as { tags?: { fleet?: string } })?.tags?.fleet !== fleet) still.push(id);
      }
      missing = still;
      return missing.length;
    },
    (left) => left === 0,
    180_000,
    'every device of the fleet in the hub with its tags',
  );
}

describe('an adaptive rate against a hub that throttles above a rate it does not tell', () => {
  beforeAll(() => hub.setMaxRequestsPerSecond(null));
  afterAll(() => hub.setMaxRequestsPerSecond(null));

  it('converges on the hub\'s rate: over the second half the achieved rate is near it, 429s come at a fraction of the hub\'s rate, and every device gets one outcome', async () => {
    const fleet = await createFleet(api, hub, { label: 'adaptive', count: DEVICES });
    const deviceIds = new Set(fleet.deviceIds);
    await untilTheHubHasEvery(fleet.deviceIds, fleet.prefix);
    await hub.setMaxRequestsPerSecond(HIDDEN_PER_SECOND);
    const jobId = uniqueId('adaptive');
    const created = await api.put(`/api/jobs/${jobId}`, {
      displayName: 'Reboot at whatever rate the hub takes',
      deviceSet: fleet.deviceSet,
      operations: [{ type: 'command', name: 'reboot', value: { delay: 0 } }],
      rollout: { rate: RATE },
    });
    expect(created.status).toBe(201);

    const samples: any[] = [];
    const ended = await eventually(
      async () => {
        const job = (await api.get(`/api/jobs/${jobId}`)).body;
        samples.push(job);
        return job;
      },
      (job) => ['completed', 'failed', 'stopped'].includes(job?.status) && job.counts.pending === 0,
      360_000,
      `job ${jobId} to end`,
    );
    await hub.setMaxRequestsPerSecond(null);

    expect(ended).toMatchObject({ status: 'completed', counts: { total: DEVICES, completed: DEVICES, failed: 0, pending: 0 } });
    // Every device one outcome: one accepted request each (a refused one never reached the device), none pending.
    const sent = (await allHubOperations(hub, { kind: 'method' })).filter((operation) => deviceIds.has(operation.deviceId));
    expect(sent).toHaveLength(DEVICES);
    expect(new Set(sent.map((operation) => operation.deviceId)).size).toBe(DEVICES);
    const rows = await api.all(`/api/jobs/${jobId}/devices`);
    expect(rows.filter((row) => row.status !== 'completed')).toEqual([]);
    expect(rows.every((row) => Number.isInteger(row.attempts) && row.attempts >= 1)).toBe(true);

    // The job view said what the rate was and why, while it ran and after.
    const reasons = samples.map((job) => job?.rolloutProgress?.rateReason).filter((reason): reason is string => typeof reason === 'string');
    expect(reasons.some((reason) => reason.startsWith('throttled by the hub (429)'))).toBe(true);
    expect(ended.rollout).toEqual({ rate: RATE });
    expect(ended.rolloutProgress).toMatchObject({ currentBatch: 0, batchCount: 1, ratePerMinute: expect.any(Number), rateReason: expect.any(String) });

    const times = sent.map((operation) => Date.parse(operation.receivedAt)).sort((a, b) => a - b);
    const [first, last] = [times[0], times[times.length - 1]];
    const middle = (first + last) / 2;
    const secondHalf = times.filter((time) => time >= middle).length;
    const achieved = secondHalf / ((last - middle) / 1000);
    // The hub's own per-second tally: every request it refused, in the seconds of each half.
    const tally = await hub.requestsPerSecond(new Date(first - 1000).toISOString());
    const refusedBetween = (from: number, to: number) =>
      tally.filter((second) => Date.parse(second.second) + 1000 > from && Date.parse(second.second) <= to).reduce((sum, second) => sum + second.throttled, 0);
    const throttledFirstHalf = refusedBetween(first, middle - 1000);
    const throttledSecondHalf = refusedBetween(middle, last);
    const rates = samples.map((job) => job?.rolloutProgress?.ratePerMinute).filter((rate): rate is number => typeof rate === 'number');
    process.stdout.write(
      `adaptive rate (${topology}): hidden ${HIDDEN_PER_SECOND}/s, achieved ${achieved.toFixed(2)}/s over the second half ` +
        `(${secondHalf} devices in ${((last - middle) / 1000).toFixed(1)} s; whole run ${(DEVICES / ((last - first) / 1000)).toFixed(2)}/s over ${((last - first) / 1000).toFixed(1)} s); ` +
        `429s ${throttledFirstHalf} in the first half, ${throttledSecondHalf} in the second (${(throttledSecondHalf / ((last - middle) / 1000)).toFixed(2)}/s); job rate seen ${Math.min(...rates)}–${Math.max(...rates)}/min, last "${ended.rolloutProgress.rateReason}"\n`,
    );
    expect(achieved).toBeGreaterThanOrEqual(0.5 * HIDDEN_PER_SECOND);
    expect(achieved).toBeLessThanOrEqual(1.1 * HIDDEN_PER_SECOND);
    // The rate never ran away to its ceiling: it stayed within a few steps of the hub's rate.
    expect(Math.max(...rates)).toBeLessThan(3 * HIDDEN_PER_SECOND * 60);
    // 429s no longer pile up: the rate only probes above the hub's now and then, so refusals come at
    // under half the hub's rate (a job held at its ceiling would offer the hub ten times its rate).
    const refusedPerSecond = throttledSecondHalf / ((last - middle) / 1000);
    expect(refusedPerSecond).toBeLessThan(0.5 * HIDDEN_PER_SECOND);
  }, 600_000);
});
