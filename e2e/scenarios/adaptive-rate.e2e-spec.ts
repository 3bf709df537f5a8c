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

interface Sample {
  at: number;
  throttled: number;
  job: any;
}

/** How many 429s the hub had answered at `time`, from the samples taken around it. */
function throttledAt(samples: Sample[], time: number): number {
  return samples.reduce((best, sample) => (Math.abs(sample.at - time) < Math.abs(best.at - time) ? sample : best)).throttled;
}

describe('an adaptive rate against a hub that throttles above a rate it does not tell', () => {
  beforeAll(() => hub.setMaxRequestsPerSecond(null));
  afterAll(() => hub.setMaxRequestsPerSecond(null));

  it('converges on the hub\'s rate: over the second half the achieved rate is near it, 429s dwindle, and every device gets one outcome', async () => {
    const fleet = await createFleet(api, hub, { label: 'adaptive', count: DEVICES });
    const deviceIds = new Set(fleet.deviceIds);
    await hub.setMaxRequestsPerSecond(HIDDEN_PER_SECOND);
    const jobId = uniqueId('adaptive');
    const created = await api.put(`/api/jobs/${jobId}`, {
      displayName: 'Reboot at whatever rate the hub takes',
      deviceSet: fleet.deviceSet,
      operations: [{ type: 'command', name: 'reboot', value: { delay: 0 } }],
      rollout: { rate: RATE },
    });
    expect(created.status).toBe(201);

    const samples: Sample[] = [];
    const ended = await eventually(
      async () => {
        const [job, stats] = await Promise.all([api.get(`/api/jobs/${jobId}`), hub.stats()]);
        samples.push({ at: Date.now(), throttled: stats.throttled, job: job.body });
        return job.body;
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
    const reasons = samples.map((sample) => sample.job?.rolloutProgress?.rateReason).filter((reason): reason is string => typeof reason === 'string');
    expect(reasons.some((reason) => reason.startsWith('throttled by the hub (429)'))).toBe(true);
    expect(ended.rollout).toEqual({ rate: RATE });
    expect(ended.rolloutProgress).toMatchObject({ currentBatch: 0, batchCount: 1, ratePerMinute: expect.any(Number), rateReason: expect.any(String) });

    const times = sent.map((operation) => Date.parse(operation.receivedAt)).sort((a, b) => a - b);
    const [first, last] = [times[0], times[times.length - 1]];
    const middle = (first + last) / 2;
    const secondHalf = times.filter((time) => time >= middle).length;
    const achieved = secondHalf / ((last - middle) / 1000);
    const throttledFirstHalf = throttledAt(samples, middle) - throttledAt(samples, first);
    const throttledSecondHalf = throttledAt(samples, last) - throttledAt(samples, middle);
    const rates = samples.map((sample) => sample.job?.rolloutProgress?.ratePerMinute).filter((rate): rate is number => typeof rate === 'number');
    process.stdout.write(
      `adaptive rate (${topology}): hidden ${HIDDEN_PER_SECOND}/s, achieved ${achieved.toFixed(2)}/s over the second half ` +
        `(${secondHalf} devices in ${((last - middle) / 1000).toFixed(1)} s; whole run ${(DEVICES / ((last - first) / 1000)).toFixed(2)}/s over ${((last - first) / 1000).toFixed(1)} s); ` +
        `429s ${throttledFirstHalf} in the first half, ${throttledSecondHalf} in the second; job rate seen ${Math.min(...rates)}–${Math.max(...rates)}/min, last "${ended.rolloutProgress.rateReason}"\n`,
    );
    expect(achieved).toBeGreaterThanOrEqual(0.5 * HIDDEN_PER_SECOND);
    expect(achieved).toBeLessThanOrEqual(1.1 * HIDDEN_PER_SECOND);
    // The rate never ran away to its ceiling: it stayed within a few steps of the hub's rate.
    expect(Math.max(...rates)).toBeLessThan(3 * HIDDEN_PER_SECOND * 60);
    expect(throttledSecondHalf).toBeLessThanOrEqual(Math.max(10, 0.25 * secondHalf));
  }, 600_000);
});
