import type { ApiSchema } from '@fleetjobs/contracts';
import { eventually, FleetjobsClient, uniqueId } from './fleetjobs.client';
import { HubSimulatorAdminClient } from '@fleetjobs/hub-simulator';

export const VENDING_CAPABILITIES: ApiSchema<'Capability'>[] = [
  { name: 'fanSpeed', kind: 'setting', schema: 'number' },
  { name: 'location', kind: 'property', schema: 'string' },
  { name: 'reboot', kind: 'command', schema: 'object' },
];

export interface Fleet {
  prefix: string;
  template: string;
  deviceSet: string;
  deviceIds: string[];
}

/**
 * A template, `count` devices tagged with the fleet's own tag (and a simulator behaviour each),
 * and a set selecting exactly them; waits until the hub has every device unless told not to.
 */
export async function createFleet(
  api: FleetjobsClient,
  hub: HubSimulatorAdminClient,
  options: {
    label: string;
    count: number;
    simulator?: (index: number) => Record<string, unknown> | undefined;
    /** More tags of the device at `index` (e.g. its `timezone`). */
    tags?: (index: number) => Record<string, unknown> | undefined;
    /** false: do not wait for the hub sync, as a user who starts a job right away would not. */
    waitForHub?: boolean;
  },
): Promise<Fleet> {
  const prefix = uniqueId(options.label);
  const template = `${prefix}-vm`;
  expect((await api.put(`/api/device-templates/${template}`, { displayName: 'Vending machine', capabilities: VENDING_CAPABILITIES })).status).toBe(201);
  const deviceIds: string[] = [];
  for (let start = 0; start < options.count; start += 10_000) {
    const devices = [];
    for (let index = start; index < Math.min(options.count, start + 10_000); index += 1) {
      const id = `${prefix}-d${String(index).padStart(6, '0')}`;
      deviceIds.push(id);
      const simulator = options.simulator?.(index);
      devices.push({ id, displayName: `Machine ${index}`, template, tags: { fleet: prefix, city: index % 2 ? 'Seattle' : 'Portland', ...options.tags?.(index), ...(simulator ? { simulator } : {}) } });
    }
    const batch = await api.post('/api/devices/batch', { devices });
    expect(batch.status).toBe(200);
  }
  const deviceSet = `${prefix}-set`;
  const set = await api.put(`/api/device-sets/${deviceSet}`, {
    displayName: `Fleet ${prefix}`,
    conditions: [
      { field: 'template', operator: 'eq', value: template },
      { field: 'tags.fleet', operator: 'eq', value: prefix },
    ],
  });
  expect(set.status).toBe(201);
  if (options.waitForHub !== false) await waitForHubDevices(hub, deviceIds);
  return { prefix, template, deviceSet, deviceIds };
}

/** Device sync to the hub is asynchronous; jobs must not race ahead of it in tests. */
export async function waitForHubDevices(hub: HubSimulatorAdminClient, deviceIds: string[]): Promise<void> {
  const sample = deviceIds.length <= 50 ? deviceIds : [...deviceIds.slice(0, 20), ...deviceIds.slice(-20), deviceIds[Math.floor(deviceIds.length / 2)]];
  for (const id of sample) {
    await eventually(() => hub.request('GET', `/twins/${encodeURIComponent(id)}?api-version=2021-04-12`), (r) => r.status === 200, 120_000, `device ${id} in the hub`);
  }
}

export async function waitForJobEnd(api: FleetjobsClient, jobId: string, timeoutMs = 120_000): Promise<any> {
  const job = await eventually(
    () => api.get(`/api/jobs/${jobId}`),
    (r) => r.status === 200 && ['completed', 'failed', 'stopped'].includes(r.body.status) && (r.body.status === 'stopped' || r.body.counts.pending === 0),
    timeoutMs,
    `job ${jobId} to end`,
  );
  return job.body;
}
