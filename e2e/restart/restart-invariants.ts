import { HubSimulatorAdminClient } from '@fleetjobs/hub-simulator';
import { FleetjobsClient } from '../support/fleetjobs.client';
import { allHubOperations } from '../support/hub-operations';

/**
 * After any crash and restart: every device of the job ends in exactly one outcome, and no
 * operation reached the hub twice.
 */
export async function expectEachDeviceOnceAndOnlyOnce(
  api: FleetjobsClient,
  hub: HubSimulatorAdminClient,
  jobId: string,
  deviceIds: string[],
): Promise<{ completed: number; unknown: number }> {
  const rows = await api.all(`/api/jobs/${jobId}/devices`);
  expect(rows.map((row) => row.deviceId).sort()).toEqual([...deviceIds].sort());
  expect(rows.filter((row) => row.status === 'pending')).toEqual([]);
  const methods = await allHubOperations(hub, { kind: 'method' });
  const callsPerDevice = new Map<string, number>();
  for (const call of methods) callsPerDevice.set(call.deviceId, (callsPerDevice.get(call.deviceId) ?? 0) + 1);
  const twice = deviceIds.filter((id) => (callsPerDevice.get(id) ?? 0) > 1);
  expect(twice).toEqual([]);
  for (const row of rows) {
    if (row.status === 'completed') expect(callsPerDevice.get(row.deviceId)).toBe(1);
  }
  const unknown = rows.filter((row) => row.status === 'failed');
  for (const row of unknown) expect(row.error).toMatch(/outcome unknown/);
  return { completed: rows.length - unknown.length, unknown: unknown.length };
}
