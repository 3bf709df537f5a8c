import { randomBytes } from 'node:crypto';
import { JobRolloutProgressedData, makeEnvelope } from '@fleetjobs/contracts';
import { waitFor } from '@fleetjobs/testing';
import { register } from 'prom-client';
import { DISPATCHER_SCHEMA } from '../dispatcher.schema';
import { DispatcherOnKafka, startDispatcherOnKafka } from '../testing/dispatcher-kafka.harness';

const REBOOT = { type: 'command' as const, name: 'reboot', value: { delay: 0 } };
/** The hub's hidden limit while throttling: far below the rate the job starts at. */
const HUB_REQUESTS_PER_SECOND = 2;
const START_PER_MINUTE = 480;

const envelope = <T>(type: string, jobId: string, data: T, source = '/fleetjobs/job-command') =>
  makeEnvelope({ type, version: 1, source, subject: jobId, now: new Date(), data });

/**
 * An adaptive rate fed by what the hub says, on the dispatcher as deployed (its PostgreSQL, the
 * real Kafka broker, the hub simulator): 429s bring the rate down, and once the hub stops
 * throttling, healthy windows bring it back up. The rate and its reason travel in the job's
 * `JobRolloutProgressed` events and show on /metrics.
 */
describe('an adaptive rate on the hub simulator', () => {
  let dispatcher: DispatcherOnKafka;
  const run = randomBytes(3).toString('hex');

  beforeAll(async () => {
    dispatcher = await startDispatcherOnKafka({ concurrency: 32, commandTimeoutMs: 10_000, idlePollMs: 50 });
  }, 240_000);
  afterAll(async () => {
    await dispatcher?.hub.admin.setMaxRequestsPerSecond(null);
    await dispatcher?.close();
  });

  const progressOf = (jobId: string): (JobRolloutProgressedData & { id: string })[] =>
    dispatcher.eventsOf(jobId, 'JobRolloutProgressed').map((event) => ({ ...event.envelope.data, id: event.envelope.id }));

  it('goes down on 429s, comes back up once the hub stops throttling, and every device gets one outcome with its attempts', async () => {
    const jobId = `adaptive-${run}`;
    const devices = Array.from({ length: 240 }, (_, index) => `ad-${run}-${String(index).padStart(3, '0')}`);
    expect(await dispatcher.hub.admin.seedDevices(devices.map((deviceId) => ({ deviceId })))).toBe(devices.length);
    await dispatcher.hub.admin.setMaxRequestsPerSecond(HUB_REQUESTS_PER_SECOND);
    const throttledBefore = (await dispatcher.hub.admin.stats()).throttled;
    const rollout = { rate: { mode: 'adaptive', minPerMinute: 60, maxPerMinute: 1200, startPerMinute: START_PER_MINUTE, stepPerMinute: 120 } };
    await dispatcher.publish(
      envelope('JobCreated', jobId, {
        jobId,
        displayName: 'Adaptive reboot',
        description: '',
        deviceSet: 'vms',
        devices: null,
        operations: [REBOOT],
        template: 'vm',
        createdAt: new Date().toISOString(),
        rollout,
      }),
      envelope('JobTargetsResolved', jobId, { jobId, chunk: 0, devices: devices.map((deviceId) => ({ deviceId, displayName: deviceId })) }, '/fleetjobs/device-set'),
      envelope('JobTargetingCompleted', jobId, { jobId, total: devices.length, chunks: 1 }, '/fleetjobs/device-set'),
    );

    await waitFor(
      'the rate to go down on 429s',
      () => progressOf(jobId).some((progress) => progress.rateReason?.startsWith('throttled by the hub (429)') && (progress.ratePerMinute ?? Infinity) < START_PER_MINUTE),
      60_000,
      100,
    );
    expect((await dispatcher.hub.admin.stats()).throttled).toBeGreaterThan(throttledBefore);
    const lowest = () => Math.min(...progressOf(jobId).map((progress) => progress.ratePerMinute ?? Infinity));
    await waitFor('the rate to settle at or below the hub\'s limit', () => lowest() <= HUB_REQUESTS_PER_SECOND * 60, 60_000, 100);
    const floor = lowest();
    const scrape = await register.getSingleMetric('fleetjobs_rollout_rate_per_minute')!.get();
    expect(scrape.values.find((value) => value.labels.job === jobId)?.value).toEqual(expect.any(Number));
    const changes = await register.getSingleMetric('fleetjobs_rollout_rate_changes_total')!.get();
    expect(changes.values.find((value) => value.labels.reason === 'throttled')?.value).toBeGreaterThan(0);

    await dispatcher.hub.admin.setMaxRequestsPerSecond(null);
    const increases = () => progressOf(jobId).filter((progress) => progress.rateReason?.startsWith('healthy:') && (progress.ratePerMinute ?? 0) > floor);
    await waitFor('healthy windows to bring the rate back up', () => increases().some((progress) => (progress.ratePerMinute ?? 0) >= floor + 240), 60_000, 100);

    await waitFor(`JobDispatchFinished of ${jobId}`, () => dispatcher.eventsOf(jobId, 'JobDispatchFinished').length > 0, 120_000, 100);
    expect(dispatcher.eventsOf(jobId, 'JobDispatchFinished')[0].envelope.data).toMatchObject({ completed: devices.length, failed: 0 });
    await waitFor('every outcome', () => dispatcher.eventsOf(jobId, 'DeviceSucceeded').length >= devices.length, 30_000, 50);
    const outcomes = dispatcher.eventsOf(jobId, 'DeviceSucceeded').map((event) => event.envelope.data);
    expect(new Set(outcomes.map((outcome) => outcome.deviceId)).size).toBe(devices.length);
    expect(outcomes.every((outcome) => Number.isInteger(outcome.attempts) && outcome.attempts >= 1)).toBe(true);

    // Progress is one fact per sequence: ids follow the sequence, which only grows.
    const progress = progressOf(jobId);
    const sequences = [...new Set(progress.map((entry) => entry.sequence))];
    expect(sequences).toEqual([...sequences].sort((a, b) => a - b));
    expect(progress.every((entry) => entry.id === `${jobId}:rollout-progress:${entry.sequence}`)).toBe(true);
    expect(progress[progress.length - 1]).toMatchObject({ batchCount: 1, batch: { index: 0, size: devices.length, completed: devices.length, failed: 0, state: 'passed' } });
    const [row] = await dispatcher.dataSource.query(`SELECT rate_per_minute, rate_reason FROM ${DISPATCHER_SCHEMA}.jobs WHERE job_id = $1`, [jobId]);
    process.stdout.write(
      `adaptive rate: started at ${START_PER_MINUTE}/min, down to ${floor}/min under a hub limit of ${HUB_REQUESTS_PER_SECOND * 60}/min, ` +
        `${Math.max(...increases().map((entry) => entry.ratePerMinute ?? 0))}/min after the limit was lifted; last: ${row.rate_per_minute}/min (${row.rate_reason})\n`,
    );
  }, 300_000);
});
