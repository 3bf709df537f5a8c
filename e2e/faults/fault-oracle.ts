import { HubSimulatorAdminClient, LoggedOperation } from '@fleetjobs/hub-simulator';
import { eventually, FleetjobsClient } from '../support/fleetjobs.client';
import { allHubOperations } from '../support/hub-operations';

export interface JobOperationUnderTest {
  type: 'property' | 'setting' | 'command';
  name: string;
  value: unknown;
}

export interface OracleFigures {
  status: string;
  completed: number;
  failed: number;
  /** Failed as "outcome unknown". */
  unknown: number;
  pending: number;
  /** Devices the hub saw a change of this job for. */
  reached: number;
  /** Changes the hub received after the stop answered. */
  afterStop: number;
  /** Per device, the changes of this job the hub received. */
  changesPerDevice: Map<string, LoggedOperation[]>;
  rows: { deviceId: string; status: string; error?: string | null }[];
}

/**
 * The requests of a job that change a device, as the hub logged them: a tag patch naming the
 * property, a desired-property patch naming the setting, a direct method call of the command.
 */
export async function hubChangesOf(
  hub: HubSimulatorAdminClient,
  operation: { type: string; name: string },
  deviceIds: Iterable<string>,
): Promise<LoggedOperation[]> {
  const ids = new Set(deviceIds);
  const logged = await allHubOperations(hub, { kind: operation.type === 'command' ? 'method' : 'twin-patch' });
  return logged.filter((entry) => {
    if (!ids.has(entry.deviceId)) return false;
    if (operation.type === 'command') return entry.name === operation.name;
    const payload = entry.payload as { tags?: { properties?: object }; properties?: { desired?: object } } | null;
    const patched = operation.type === 'property' ? payload?.tags?.properties : payload?.properties?.desired;
    return patched !== undefined && patched !== null && operation.name in patched;
  });
}

/**
 * What every fault must leave true, for a job that has ended: each device of the job has
 * exactly one final outcome (pending only when the job was stopped); no change reached the hub
 * twice for a device, none for a device left pending, and none after the stop answered
 * (`stopAnsweredAt`); a completed device had its change reach the hub exactly once; the job's
 * counts add up and agree with its devices.
 */
export async function expectFaultOracle(
  api: FleetjobsClient,
  hub: HubSimulatorAdminClient,
  check: { jobId: string; deviceIds: string[]; operation: JobOperationUnderTest; stopAnsweredAt?: number },
): Promise<OracleFigures> {
  // A job's status is final before its outcomes are (a stopped job's devices in flight still
  // report): its settledAt says every outcome is in the read model, so the oracle judges from there.
  const job = await eventually(
    async () => (await api.get(`/api/jobs/${check.jobId}`)).body,
    (answer) => typeof answer?.settledAt === 'string',
    120_000,
    `job ${check.jobId} to settle`,
  );
  expect(['completed', 'failed', 'stopped']).toContain(job.status);
  const rows = await api.all<{ deviceId: string; status: string; error?: string | null }>(`/api/jobs/${check.jobId}/devices`);

  const listed = rows.map((row) => row.deviceId);
  expect(listed.length).toBe(new Set(listed).size);
  expect([...listed].sort()).toEqual([...check.deviceIds].sort());
  const finalStatuses = job.status === 'stopped' ? ['completed', 'failed', 'pending'] : ['completed', 'failed'];
  expect(rows.filter((row) => !finalStatuses.includes(row.status))).toEqual([]);

  const tally = (status: string) => rows.filter((row) => row.status === status).length;
  const completed = tally('completed');
  const failed = tally('failed');
  const pending = tally('pending');
  expect(job.counts).toMatchObject({ total: check.deviceIds.length, completed, failed, pending });
  expect(job.counts.completed + job.counts.failed + job.counts.pending).toBe(job.counts.total);
  if (job.status !== 'stopped') expect(job.counts.pending).toBe(0);

  const changes = await hubChangesOf(hub, check.operation, check.deviceIds);
  const changesPerDevice = new Map<string, LoggedOperation[]>();
  for (const change of changes) changesPerDevice.set(change.deviceId, [...(changesPerDevice.get(change.deviceId) ?? []), change]);
  const twice = [...changesPerDevice].filter(([, seen]) => seen.length > 1).map(([deviceId, seen]) => ({ deviceId, at: seen.map((entry) => entry.receivedAt) }));
  expect(twice).toEqual([]);
  const statusOf = new Map(rows.map((row) => [row.deviceId, row.status]));
  expect(rows.filter((row) => row.status === 'completed' && !changesPerDevice.has(row.deviceId)).map((row) => row.deviceId)).toEqual([]);
  expect([...changesPerDevice.keys()].filter((deviceId) => statusOf.get(deviceId) === 'pending')).toEqual([]);
  const late = check.stopAnsweredAt === undefined ? [] : changes.filter((change) => Date.parse(change.receivedAt) > check.stopAnsweredAt!);
  expect(late).toEqual([]);

  const unknown = rows.filter((row) => row.status === 'failed' && /outcome unknown/.test(row.error ?? '')).length;
  return { status: job.status, completed, failed, unknown, pending, reached: changesPerDevice.size, afterStop: late.length, changesPerDevice, rows };
}
