import { LoggedOperation } from '@fleetjobs/hub-simulator';
import { eventually, uniqueId } from '../support/fleetjobs.client';
import { createFleet, Fleet, waitForJobEnd } from '../support/fleet.fixture';
import { allHubOperations } from '../support/hub-operations';
import { systemUnderTest } from '../support/system-under-test';

const { api, hub, topology } = systemUnderTest();

afterAll(() => hub.close());

const REBOOT = [{ type: 'command', name: 'reboot', value: {} }];

/** The hub's direct-method calls to the fleet's devices, in order of arrival. */
async function methodCalls(fleet: Fleet): Promise<LoggedOperation[]> {
  const ids = new Set(fleet.deviceIds);
  return (await allHubOperations(hub, { kind: 'method' })).filter((call) => ids.has(call.deviceId));
}

function callsPerDevice(calls: LoggedOperation[]): Map<string, number> {
  const perDevice = new Map<string, number>();
  for (const call of calls) perDevice.set(call.deviceId, (perDevice.get(call.deviceId) ?? 0) + 1);
  return perDevice;
}

/** A moment on the hub's arrival clock later than every request sent before now (see stop.e2e-spec.ts). */
async function hubClockAfter(): Promise<number> {
  await hub.arrivalMark();
  return Date.parse(await hub.arrivalMark());
}

/**
 * A job a rule halted ends `failed` while devices it never started stay pending: it has ended
 * once it says so and every device the hub saw a call for has its outcome recorded. `failedBy`
 * is a moment on the hub's clock after the job was first seen failed.
 */
async function settledHaltedJob(jobId: string, fleet: Fleet): Promise<{ job: any; calls: LoggedOperation[]; rows: any[]; failedBy: number }> {
  let failedBy: number | null = null;
  const settled = await eventually(
    async () => {
      const job = (await api.get(`/api/jobs/${jobId}`)).body;
      if (job?.status === 'failed' && failedBy === null) failedBy = await hubClockAfter();
      const calls = await methodCalls(fleet);
      const rows = job?.status === 'failed' ? await api.all(`/api/jobs/${jobId}/devices`) : [];
      return { job, calls, rows };
    },
    ({ job, calls, rows }) => {
      if (job?.status !== 'failed') return false;
      const recorded = new Set(rows.filter((row) => row.status !== 'pending').map((row) => row.deviceId));
      return calls.every((call) => recorded.has(call.deviceId)) && job.counts.completed + job.counts.failed === recorded.size;
    },
    120_000,
    `job ${jobId} halted, with every reached device recorded`,
  );
  return { ...settled, failedBy: failedBy! };
}

function report(line: string): void {
  process.stdout.write(`rollout (${topology}): ${line}\n`);
}

describe('rollout', () => {
  it('runs 1,000 devices in 4 batches and stops at the batch that cannot reach its success gate; the next batch never reaches the hub', async () => {
    // Batch 3 (devices 500–749) has one offline device in five: at most 80 % can complete.
    const offline = (index: number) => index >= 500 && index < 750 && index % 5 === 0;
    const fleet = await createFleet(api, hub, { label: 'gate', count: 1000, simulator: (index) => (offline(index) ? { online: false } : undefined) });
    const jobId = uniqueId('job-gate');
    const created = await api.put(`/api/jobs/${jobId}`, {
      displayName: 'Gated reboot',
      deviceSet: fleet.deviceSet,
      operations: REBOOT,
      rollout: { batches: { percent: 25 }, successGate: { percent: 90 } },
    });
    expect(created.status).toBe(201);

    const { job, calls, rows, failedBy } = await settledHaltedJob(jobId, fleet);
    expect(calls.filter((call) => Date.parse(call.receivedAt) > failedBy)).toEqual([]);
    expect(job.error).toMatch(/^batch 3 can no longer reach its 90 % success gate: \d+ of 250 devices failed, at most \d+(\.\d+)? % can complete$/);
    const failedInGate = Number(/: (\d+) of 250/.exec(job.error)![1]);
    expect(failedInGate).toBeGreaterThanOrEqual(26);

    const byIndex = (row: { deviceId: string }) => fleet.deviceIds.indexOf(row.deviceId);
    const batchOf = (index: number) => Math.floor(index / 250) + 1;
    const rowsOfBatch = (batch: number) => rows.filter((row) => batchOf(byIndex(row)) === batch);
    // Batches 1 and 2 passed whole; batch 3 failed only on its offline devices; batch 4 never started.
    expect(rowsOfBatch(1).every((row) => row.status === 'completed')).toBe(true);
    expect(rowsOfBatch(2).every((row) => row.status === 'completed')).toBe(true);
    expect(rowsOfBatch(3).filter((row) => row.status === 'failed').every((row) => offline(byIndex(row)) && /offline/.test(row.error))).toBe(true);
    expect(rowsOfBatch(4).map((row) => row.status)).toEqual(Array(250).fill('pending'));
    const reachedBatches = new Set(calls.map((call) => batchOf(fleet.deviceIds.indexOf(call.deviceId))));
    expect(reachedBatches.has(4)).toBe(false);

    // Counts add up, per device: every reached device once, the rest pending.
    const perDevice = callsPerDevice(calls);
    expect([...perDevice.values()].every((count) => count === 1)).toBe(true);
    expect(job.counts).toEqual({ total: 1000, completed: expect.any(Number), failed: expect.any(Number), pending: expect.any(Number) });
    expect(job.counts.completed + job.counts.failed + job.counts.pending).toBe(1000);
    expect(job.counts.completed + job.counts.failed).toBe(perDevice.size);
    expect(job.counts.completed).toBeGreaterThanOrEqual(500);
    expect(job.counts.pending).toBeGreaterThanOrEqual(250);
    expect(job.counts.failed).toBe(rows.filter((row) => row.status === 'failed').length);
    // The job detail shows each batch's progress where the API carries it.
    if ('rolloutProgress' in job) {
      const progress = (
        await eventually(
          () => api.get(`/api/jobs/${jobId}`),
          (r) => r.body.rolloutProgress?.batches?.[2]?.state === 'gateFailed',
          30_000,
          'the third batch shown as failing its gate',
        )
      ).body.rolloutProgress;
      expect(progress).toMatchObject({ batchCount: 4, currentBatch: 2 });
      expect(progress.batches.map((batch: any) => [batch.index, batch.size, batch.state])).toEqual([
        [0, 250, 'passed'],
        [1, 250, 'passed'],
        [2, 250, 'gateFailed'],
      ]);
      expect(progress.batches.slice(0, 2).map((batch: any) => [batch.completed, batch.failed])).toEqual([
        [250, 0],
        [250, 0],
      ]);
      expect(progress.batches[2].failed).toBeGreaterThanOrEqual(failedInGate);
    }
    report(`gate: ${job.counts.completed} completed, ${job.counts.failed} failed, ${job.counts.pending} pending; "${job.error}"`);
  });

  it('aborts at 10 % offline after its minimum executed: halted like a stop, the devices it never started stay pending', async () => {
    // One device in six offline: about 17 % of the executed devices fail, above the rule's 10 %.
    const fleet = await createFleet(api, hub, { label: 'abort', count: 1000, simulator: (index) => (index % 6 === 3 ? { online: false } : undefined) });
    const jobId = uniqueId('job-abort');
    const minExecuted = 150;
    const created = await api.put(`/api/jobs/${jobId}`, {
      displayName: 'Abort on offline',
      deviceSet: fleet.deviceSet,
      operations: REBOOT,
      // A rate of 50 devices a second leaves most of the job unstarted when the rule trips.
      rollout: { rate: { perMinute: 3000 }, abort: [{ failed: { percent: 10 }, minExecuted, kinds: ['offline'] }] },
    });
    expect(created.status).toBe(201);

    const { job, calls, rows, failedBy } = await settledHaltedJob(jobId, fleet);
    const figures = /^aborted: (\d+(?:\.\d)?) % failed \(offline\) > 10 % after (\d+) devices$/.exec(job.error);
    expect(figures).not.toBeNull();
    expect(Number(figures![1])).toBeGreaterThan(10);
    expect(Number(figures![2])).toBeGreaterThanOrEqual(minExecuted);

    // Halted like a stop: nothing reached the hub once the job said it had failed, nothing twice.
    expect(calls.filter((call) => Date.parse(call.receivedAt) > failedBy)).toEqual([]);
    const perDevice = callsPerDevice(calls);
    expect([...perDevice.values()].every((count) => count === 1)).toBe(true);
    const pending = rows.filter((row) => row.status === 'pending');
    expect(pending.length).toBeGreaterThan(0);
    expect(pending.every((row) => !perDevice.has(row.deviceId) && row.error === null)).toBe(true);
    expect(job.counts).toMatchObject({ total: 1000, pending: pending.length });
    expect(job.counts.completed + job.counts.failed).toBe(perDevice.size);
    expect(job.counts.completed + job.counts.failed + job.counts.pending).toBe(1000);
    report(`abort: "${job.error}"; ${perDevice.size} devices reached, ${pending.length} never started`);
  });

  it('retries offline devices until they come online: completed on the third attempt, counted once', async () => {
    const isFlaky = (index: number) => index % 4 === 0;
    const fleet = await createFleet(api, hub, { label: 'retry', count: 20, simulator: (index) => (isFlaky(index) ? { online: false } : undefined) });
    const flaky = fleet.deviceIds.filter((_, index) => isFlaky(index));
    const jobId = uniqueId('job-retry');
    const created = await api.put(`/api/jobs/${jobId}`, {
      displayName: 'Reboot, patiently',
      deviceSet: fleet.deviceSet,
      operations: REBOOT,
      rollout: { retries: { maxAttempts: 3, on: ['offline'], backoff: { initialMs: 2000, factor: 2, jitter: false } } },
    });
    expect(created.status).toBe(201);

    // Each flaky device comes online once the hub has seen its second attempt; meanwhile the job's
    // counts stay per device: an attempt that will be retried is no failure.
    const broughtOnline = new Set<string>();
    const countsSeen: any[] = [];
    await eventually(
      async () => {
        for (const deviceId of flaky) {
          if (broughtOnline.has(deviceId) || (await hub.operations({ deviceId, kind: 'method' })).length < 2) continue;
          const patched = await hub.request('PATCH', `/twins/${encodeURIComponent(deviceId)}?api-version=2021-04-12`, { tags: { simulator: { online: true } } });
          expect(patched.status).toBe(200);
          broughtOnline.add(deviceId);
        }
        countsSeen.push((await api.get(`/api/jobs/${jobId}`)).body.counts);
        return broughtOnline.size;
      },
      (size) => size === flaky.length,
      60_000,
      'every flaky device retried twice and brought online',
    );

    const job = await waitForJobEnd(api, jobId, 60_000);
    expect(job).toMatchObject({ status: 'completed', error: null, counts: { total: 20, completed: 20, failed: 0, pending: 0 } });
    // (The total grows while the job's targets arrive; it never counts an attempt.)
    expect(countsSeen.filter((counts) => counts.failed !== 0 || counts.total > 20 || counts.completed + counts.failed + counts.pending !== counts.total)).toEqual([]);
    const perDevice = callsPerDevice(await methodCalls(fleet));
    expect(flaky.map((deviceId) => perDevice.get(deviceId))).toEqual(flaky.map(() => 3));
    expect(fleet.deviceIds.filter((deviceId) => !flaky.includes(deviceId)).every((deviceId) => perDevice.get(deviceId) === 1)).toBe(true);
    const rows = await api.all(`/api/jobs/${jobId}/devices`);
    expect(rows).toHaveLength(20);
    expect(rows.every((row) => row.status === 'completed' && row.error === null)).toBe(true);
    // Device rows show the attempts made where the API carries them.
    if (rows.some((row) => 'attempts' in row)) {
      const attempts = Object.fromEntries(rows.map((row) => [row.deviceId, row.attempts]));
      expect(flaky.map((deviceId) => attempts[deviceId])).toEqual(flaky.map(() => 3));
      expect(fleet.deviceIds.filter((deviceId) => !flaky.includes(deviceId)).every((deviceId) => (attempts[deviceId] ?? 1) === 1)).toBe(true);
    }
    report(`retries: ${flaky.length} devices completed on their third attempt; attempts on device rows: ${rows.some((row) => 'attempts' in row) ? 'shown' : 'not in the API'}`);
  });

  it('fails a device whose twin write hangs with a timeout, within the rollout\'s timeout, and the job ends', async () => {
    // The hub holds its answer to one device's desired-properties patch far longer than the test waits.
    const hungMs = 120_000;
    const fleet = await createFleet(api, hub, { label: 'hung', count: 3, simulator: (index) => (index === 1 ? { twinWriteLatencyMs: hungMs } : undefined) });
    const jobId = uniqueId('job-hung');
    const created = await api.put(`/api/jobs/${jobId}`, {
      displayName: 'Fan speed with a deadline',
      deviceSet: fleet.deviceSet,
      operations: [{ type: 'setting', name: 'fanSpeed', value: 3 }],
      rollout: { timeoutSeconds: 2 },
    });
    expect(created.status).toBe(201);
    const job = await waitForJobEnd(api, jobId, 60_000);
    expect(job).toMatchObject({ status: 'failed', error: '1 of 3 devices failed', counts: { total: 3, completed: 2, failed: 1, pending: 0 } });
    const rows = Object.fromEntries((await api.all(`/api/jobs/${jobId}/devices`)).map((row) => [row.deviceId, row]));
    expect(rows[fleet.deviceIds[1]]).toMatchObject({ status: 'failed', error: 'setting fanSpeed timed out: the hub did not answer the twin write within 2 s' });
    expect([rows[fleet.deviceIds[0]].status, rows[fleet.deviceIds[2]].status]).toEqual(['completed', 'completed']);
    // The write was sent once, and the job did not wait for the hub's answer to it.
    const writes = (await allHubOperations(hub, { deviceId: fleet.deviceIds[1], kind: 'twin-patch' })).filter(
      (entry) => (entry.payload as { properties?: { desired?: object } } | null)?.properties?.desired !== undefined,
    );
    expect(writes).toHaveLength(1);
    expect(Date.parse(job.endedAt) - Date.parse(writes[0].receivedAt)).toBeLessThan(hungMs);
    report(`timeout: "${rows[fleet.deviceIds[1]].error}"`);
  });
});
