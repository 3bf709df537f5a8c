import { JobClient, Registry } from 'azure-iothub';
import { AzureIotHubDeviceGateway, createHubAgent, installHubAgent } from '@fleetjobs/device-gateway';

/** What one path did to its devices, as its client saw it. */
export interface PathOutcome {
  succeeded: number;
  failed: number;
  /** Hub jobs created (0 for direct calls). */
  jobs: number;
  /** Requests the client had to repeat after a 429. */
  throttledRetries: number;
  /** Per-device results by status, as the hub answered them (jobs only). */
  deviceStatuses: Record<string, number>;
}

interface JobStatus {
  status: string;
  deviceJobStatistics?: { runningCount: number; succeededCount: number; failedCount: number };
}

const ENDED = new Set(['completed', 'failed', 'cancelled']);
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** The change both paths make on every device: a property (a twin tag patch) or a command (a direct method). */
export type HubChange = 'property' | 'command';

/** What the hub's operation log calls one device's change. */
export function loggedKind(change: HubChange): string {
  return change === 'property' ? 'twin-patch' : 'method';
}

/**
 * The project's gateway: one `applyProperty` (one twin patch) or `invokeCommand` (one direct
 * method) per device, `concurrency` at a time, until `stop` says so.
 */
export async function runDirect(
  gateway: AzureIotHubDeviceGateway,
  change: HubChange,
  deviceIds: readonly string[],
  value: string,
  concurrency: number,
  stop: (done: number) => boolean = () => false,
): Promise<PathOutcome> {
  let next = 0;
  let succeeded = 0;
  let failed = 0;
  const worker = async (): Promise<void> => {
    while (next < deviceIds.length && !stop(succeeded + failed)) {
      const deviceId = deviceIds[next++];
      const outcome =
        change === 'property'
          ? await gateway.applyProperty(deviceId, 'location', value)
          : await gateway.invokeCommand(deviceId, 'reboot', { tag: value }, { responseTimeoutMs: 30_000 });
      if (outcome.ok) succeeded += 1;
      else failed += 1;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return { succeeded, failed, jobs: 0, throttledRetries: 0, deviceStatuses: {} };
}

/** azure-iothub's JobClient and Registry on the simulator's certificate and host:port. */
export function hubJobClients(connectionString: string, caCertPem: string): { jobs: JobClient; registry: Registry; close(): void } {
  const agent = createHubAgent(true, { caCertPem, maxSockets: 8 });
  const jobs = JobClient.fromConnectionString(connectionString);
  const registry = Registry.fromConnectionString(connectionString);
  installHubAgent(jobs, agent, caCertPem);
  installHubAgent(registry, agent, caCertPem);
  return { jobs, registry, close: () => agent.destroy() };
}

/** Retries a hub call refused with 429 after `backoffMs`, as a client of a throttled hub must. */
async function retried<T>(call: () => Promise<T>, backoffMs: number, counter: { retries: number }): Promise<T> {
  for (;;) {
    try {
      return await call();
    } catch (error) {
      const status = (error as { response?: { statusCode?: number } }).response?.statusCode;
      if (status !== 429) throw error;
      counter.retries += 1;
      await sleep(backoffMs);
    }
  }
}

/** Creates the hub job that makes `change` on the devices of `condition`. */
export function scheduleJob(jobs: JobClient, change: HubChange, jobId: string, condition: string, value: string): Promise<unknown> {
  return change === 'property'
    ? jobs.scheduleTwinUpdate(jobId, condition, { etag: '*', tags: { properties: { location: value } } }, new Date(), 3600)
    : jobs.scheduleDeviceMethod(jobId, condition, { methodName: 'reboot', payload: { tag: value }, responseTimeoutInSeconds: 30 }, new Date(), 3600);
}

/**
 * IoT Hub's bulk path: one job per condition (a twin update or a direct method), one after the other (a hub runs one job
 * at a time on S1), each polled with `getJob` every `pollMs` until it ended; then every device's
 * result read from `devices.jobs`, 1,000 a page — what a caller needs for one outcome per device.
 */
export async function runHubJobs(
  clients: { jobs: JobClient; registry: Registry },
  change: HubChange,
  conditions: readonly string[],
  jobIdPrefix: string,
  value: string,
  options: { pollMs: number; backoffMs: number },
): Promise<PathOutcome> {
  const counter = { retries: 0 };
  const jobIds: string[] = [];
  for (const [index, condition] of conditions.entries()) {
    const jobId = `${jobIdPrefix}-${index}`;
    jobIds.push(jobId);
    await retried(() => scheduleJob(clients.jobs, change, jobId, condition, value), options.backoffMs, counter);
    await jobEnded(clients.jobs, jobId, options.pollMs, options.backoffMs, counter);
  }
  const deviceStatuses: Record<string, number> = {};
  for (const jobId of jobIds) {
    const query = clients.registry.createQuery(`SELECT * FROM devices.jobs WHERE devices.jobs.jobId = '${jobId}'`, 1000);
    do {
      // next() must be given the token: without one the SDK asks for the first page again.
      const page = await retried(() => query.next(query.continuationToken as string), options.backoffMs, counter);
      for (const result of page.result as { status: string }[]) deviceStatuses[result.status] = (deviceStatuses[result.status] ?? 0) + 1;
    } while (query.hasMoreResults);
  }
  return {
    succeeded: deviceStatuses['completed'] ?? 0,
    failed: Object.entries(deviceStatuses).reduce((sum, [status, count]) => (status === 'completed' ? sum : sum + count), 0),
    jobs: jobIds.length,
    throttledRetries: counter.retries,
    deviceStatuses,
  };
}

export async function jobEnded(jobs: JobClient, jobId: string, pollMs: number, backoffMs: number, counter = { retries: 0 }): Promise<JobStatus> {
  for (;;) {
    await sleep(pollMs);
    const status = (await retried(() => jobs.getJob(jobId), backoffMs, counter)).jobStatus as unknown as JobStatus;
    if (ENDED.has(status.status) && (status.deviceJobStatistics?.runningCount ?? 0) === 0) return status;
  }
}
