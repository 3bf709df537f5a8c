import { JobClient, Registry } from 'azure-iothub';
import { createHubAgent, installHubAgent } from '@fleetjobs/device-gateway';
import { startThrowawayHubSimulator, ThrowawayHubSimulator } from './testing/throwaway-hub-simulator';

interface JobStatus {
  jobId: string;
  status: string;
  type: string;
  deviceJobStatistics: { deviceCount: number; failedCount: number; succeededCount: number; runningCount: number; pendingCount: number };
}

interface DeviceJob {
  deviceId: string;
  jobId: string;
  jobType: string;
  status: string;
  outcome: { deviceMethodResponse: { status: number; payload: unknown } | null };
  error?: { code: string };
}

/** Reads until `accept` holds; `intervalMs` keeps job reads within S1's 100 job operations a minute. */
async function eventually<T>(read: () => Promise<T>, accept: (value: T) => boolean, intervalMs = 700, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let value = await read();
  while (!accept(value) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
    value = await read();
  }
  return value;
}

const ids = (prefix: string, count: number): string[] => Array.from({ length: count }, (_, i) => `${prefix}-${String(i).padStart(3, '0')}`);
const inCondition = (deviceIds: string[]): string => `deviceId IN [${deviceIds.map((id) => `'${id}'`).join(', ')}]`;

describe("hub simulator: IoT Hub's jobs through azure-iothub's JobClient", () => {
  let hub: ThrowawayHubSimulator;
  let jobs: JobClient;
  let registry: Registry;

  beforeAll(async () => {
    hub = await startThrowawayHubSimulator();
    const { connectionString, caCertPem } = hub.simulator;
    const agent = createHubAgent(true, { caCertPem });
    jobs = JobClient.fromConnectionString(connectionString);
    registry = Registry.fromConnectionString(connectionString);
    installHubAgent(jobs, agent, caCertPem);
    installHubAgent(registry, agent, caCertPem);
  });

  afterAll(async () => {
    await hub?.dispose();
  });

  const job = async (jobId: string): Promise<JobStatus> => (await jobs.getJob(jobId)).jobStatus as unknown as JobStatus;
  const ended = (jobId: string): Promise<JobStatus> =>
    // A read failing meanwhile (a restarting hub) reads as not ended yet.
    eventually(() => job(jobId).catch(() => ({ status: 'unreadable', deviceJobStatistics: { runningCount: 0 } }) as JobStatus), (status) => ['completed', 'failed', 'cancelled'].includes(status.status) && status.deviceJobStatistics.runningCount === 0);
  const deviceJobs = async (jobId: string): Promise<DeviceJob[]> => {
    const query = registry.createQuery(`SELECT * FROM devices.jobs WHERE devices.jobs.jobId = '${jobId}'`, 100);
    const all: DeviceJob[] = [];
    // With promises, next() must be given the token: called without one, the SDK asks for the first page again.
    do all.push(...((await query.next(query.continuationToken as string)).result as DeviceJob[]));
    while (query.hasMoreResults);
    return all;
  };

  it('runs a twin update on exactly the devices of its condition, with each device result queryable', async () => {
    const targets = ids('twin', 150);
    await hub.admin.seedDevices([...targets, 'twin-outside'].map((deviceId) => ({ deviceId })));
    const created = await jobs.scheduleTwinUpdate('twin-job', inCondition(targets), { etag: '*', tags: { site: 'north' } }, new Date(), 120);
    expect(created.jobStatus).toMatchObject({ jobId: 'twin-job', type: 'scheduleUpdateTwin', status: 'queued' });

    const done = await ended('twin-job');
    expect(done).toMatchObject({ status: 'completed', deviceJobStatistics: { deviceCount: 150, succeededCount: 150, failedCount: 0, pendingCount: 0 } });
    const results = await deviceJobs('twin-job');
    expect(results).toHaveLength(150);
    expect(new Set(results.map((result) => result.deviceId))).toEqual(new Set(targets));
    expect(results.every((result) => result.status === 'completed' && result.jobType === 'scheduleUpdateTwin')).toBe(true);
    expect((await registry.getTwin('twin-042')).responseBody.tags).toEqual({ site: 'north' });
    expect((await registry.getTwin('twin-outside')).responseBody.tags).toEqual({});
    const logged = await hub.admin.operations({ kind: 'twin-patch', limit: 1000 });
    expect(logged.filter((entry) => entry.requestId === 'job:twin-job')).toHaveLength(150);
  });

  it("runs a direct method and keeps each device's answer, or why it had none", async () => {
    await hub.admin.seedDevices([
      { deviceId: 'method-ok' },
      { deviceId: 'method-fails', tags: { simulator: { failCommands: ['reboot'] } } },
      { deviceId: 'method-offline', tags: { simulator: { online: false } } },
    ]);
    await jobs.scheduleDeviceMethod(
      'method-job',
      "deviceId IN ['method-ok', 'method-fails', 'method-offline', 'method-unknown']",
      { methodName: 'reboot', payload: { delay: 1 }, responseTimeoutInSeconds: 10 },
      new Date(),
      120,
    );
    expect(await ended('method-job')).toMatchObject({ status: 'completed', deviceJobStatistics: { deviceCount: 3, succeededCount: 2, failedCount: 1 } });
    const byDevice = new Map((await deviceJobs('method-job')).map((result) => [result.deviceId, result]));
    expect(byDevice.get('method-ok')).toMatchObject({ status: 'completed', outcome: { deviceMethodResponse: { status: 200 } } });
    expect(byDevice.get('method-fails')).toMatchObject({ status: 'completed', outcome: { deviceMethodResponse: { status: 500 } } });
    expect(byDevice.get('method-offline')).toMatchObject({ status: 'failed', error: { code: 'DeviceNotOnline' } });
    const logged = await hub.admin.operations({ kind: 'method', name: 'reboot', limit: 100 });
    expect(logged.filter((entry) => entry.requestId === 'job:method-job').map((entry) => entry.payload)).toEqual([{ delay: 1 }, { delay: 1 }, { delay: 1 }]);
  });

  it("paces device operations at the tier's job rate and refuses a second job on S1 with 429, a used job id with 409", async () => {
    await hub.admin.setThrottle({ sku: 'S1', units: 1 });
    try {
      const targets = ids('paced', 25);
      await hub.admin.seedDevices(targets.map((deviceId) => ({ deviceId })));
      await jobs.scheduleTwinUpdate('paced-job', inCondition(targets), { tags: { paced: true } }, new Date(), 120);
      const second = await jobs.scheduleTwinUpdate('second-job', "deviceId = 'paced-000'", { tags: { second: true } }, new Date(), 120).catch((error: unknown) => error);
      expect(second).toMatchObject({ name: 'ThrottlingError', message: expect.stringMatching(/maximum active job count \(1\)/) });
      expect((second as { response: { statusCode: number } }).response.statusCode).toBe(429);
      const again = await jobs.scheduleTwinUpdate('twin-job', "deviceId = 'paced-000'", { tags: {} }, new Date(), 120).catch((error: unknown) => error);
      expect((again as { response: { statusCode: number } }).response.statusCode).toBe(409);

      expect(await ended('paced-job')).toMatchObject({ status: 'completed', deviceJobStatistics: { succeededCount: 25 } });
      const arrivals = (await hub.admin.operations({ kind: 'twin-patch', limit: 10_000 }))
        .filter((entry) => entry.requestId === 'job:paced-job')
        .map((entry) => Date.parse(entry.receivedAt))
        .sort((a, b) => a - b);
      // S1 runs 10 job device operations a second: 25 take at least 2.4 s, however fast the machine.
      expect(arrivals[arrivals.length - 1] - arrivals[0]).toBeGreaterThanOrEqual(2350);
    } finally {
      await hub.admin.setThrottle(null);
    }
  });

  it('refuses a condition longer than the query limit, naming the limit', async () => {
    const many = ids('too-long-device-name-padding', 400);
    const refused = await jobs.scheduleTwinUpdate('long-job', inCondition(many), { tags: { a: 1 } }, new Date(), 60).catch((error: unknown) => error);
    expect((refused as { response: { statusCode: number } }).response.statusCode).toBe(400);
    expect((refused as Error).message).toMatch(/over IoT Hub's limit of 8192/);
    expect((await jobs.getJob('long-job').catch((error: unknown) => error)) as Error).toBeInstanceOf(Error);
  });

  it('a cancel holds: no device operation starts after it was answered, the devices not reached are never touched', async () => {
    await hub.admin.setThrottle({ sku: 'S1', units: 1 });
    try {
      const targets = ids('cancel', 80);
      await hub.admin.seedDevices(targets.map((deviceId) => ({ deviceId })));
      await jobs.scheduleTwinUpdate('cancel-job', inCondition(targets), { tags: { cancelled: false } }, new Date(), 120);
      const jobPatches = async (): Promise<number> =>
        (await hub.admin.operations({ kind: 'twin-patch', limit: 10_000 })).filter((entry) => entry.requestId === 'job:cancel-job').length;
      await eventually(jobPatches, (count) => count >= 5, 50);
      const answer = (await jobs.cancelJob('cancel-job')).jobStatus as unknown as JobStatus;
      const answeredAt = Date.now();
      expect(answer.status).toBe('cancelled');

      const done = await ended('cancel-job');
      expect(done.status).toBe('cancelled');
      const results = await deviceJobs('cancel-job');
      const completed = results.filter((result) => result.status === 'completed').map((result) => result.deviceId);
      const cancelled = results.filter((result) => result.status === 'cancelled').map((result) => result.deviceId);
      expect(completed.length + cancelled.length).toBe(80);
      expect(cancelled.length).toBeGreaterThan(0);
      // Nothing reached the devices after the answer, even well after it.
      await new Promise((resolve) => setTimeout(resolve, 1000));
      const logged = (await hub.admin.operations({ kind: 'twin-patch', limit: 10_000 })).filter((entry) => entry.requestId === 'job:cancel-job');
      expect(logged.map((entry) => entry.deviceId).sort()).toEqual([...completed].sort());
      expect(Math.max(...logged.map((entry) => Date.parse(entry.receivedAt)))).toBeLessThanOrEqual(answeredAt);
      for (const deviceId of cancelled.slice(0, 5)) expect((await registry.getTwin(deviceId)).responseBody.tags).toEqual({});
    } finally {
      await hub.admin.setThrottle(null);
    }
  });

  it('fails a job that runs out of its maxExecutionTimeInSeconds, leaving the devices not reached untouched', async () => {
    await hub.admin.setThrottle({ sku: 'S1', units: 1 });
    try {
      const targets = ids('expiring', 40);
      await hub.admin.seedDevices(targets.map((deviceId) => ({ deviceId })));
      // 40 devices at S1's 10 a second need 4 s: two seconds reach at most about twenty of them.
      await jobs.scheduleTwinUpdate('expiring-job', inCondition(targets), { tags: { expiring: true } }, new Date(), 2);
      const done = await ended('expiring-job');
      expect(done.status).toBe('failed');
      const results = await deviceJobs('expiring-job');
      const reached = results.filter((result) => result.status === 'completed').length;
      expect(reached).toBeGreaterThan(0);
      expect(reached).toBeLessThan(40);
      expect(results.filter((result) => result.status === 'cancelled' && result.error?.code === 'JobExpired')).toHaveLength(40 - reached);
      const logged = (await hub.admin.operations({ kind: 'twin-patch', limit: 10_000 })).filter((entry) => entry.requestId === 'job:expiring-job');
      expect(logged).toHaveLength(reached);
    } finally {
      await hub.admin.setThrottle(null);
    }
  });

  it('lists jobs by type and status, and keeps a scheduled job across a restart', async () => {
    const listed = (await jobs.createQuery('scheduleDeviceMethod', 'completed' as never, 10).next()).result as unknown as JobStatus[];
    expect(listed.map((entry) => entry.jobId)).toEqual(['method-job']);

    await hub.admin.seedDevices([{ deviceId: 'later-dev' }]);
    // Far enough ahead to be read as scheduled and to restart the hub before it starts, on a busy machine.
    const startTime = new Date(Date.now() + 5000);
    await jobs.scheduleTwinUpdate('later-job', "deviceId = 'later-dev'", { tags: { later: true } }, startTime, 120);
    expect((await eventually(() => job('later-job'), (status) => status.status === 'scheduled')).status).toBe('scheduled');
    await hub.restart();
    expect(await ended('later-job')).toMatchObject({ status: 'completed', deviceJobStatistics: { succeededCount: 1 } });
    expect((await registry.getTwin('later-dev')).responseBody.tags).toEqual({ later: true });
    const [patched] = await hub.admin.operations({ deviceId: 'later-dev', kind: 'twin-patch' });
    expect(Date.parse(patched.receivedAt)).toBeGreaterThanOrEqual(startTime.getTime());
  });
});
