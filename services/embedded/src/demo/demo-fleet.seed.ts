import { HubSimulatorAdminClient } from '@fleetjobs/hub-simulator';
import { waitUntil } from '@fleetjobs/runtime';

const CITIES = ['Seattle', 'Portland', 'San Francisco', 'Denver', 'Austin'];
export const DEMO_DEVICE_COUNT = 1000;

/** How a demo machine behaves in the simulator: a handful offline, a few refusing reboots, some slow. */
export function demoSimulatorBehaviour(index: number): Record<string, unknown> | undefined {
  if (index % 97 === 13) return { online: false };
  if (index % 131 === 7) return { failCommands: ['reboot'] };
  if (index % 53 === 5) return { latencyMs: 400 };
  return undefined;
}

/** Where the demo data goes: the public API, as an administrator. */
export interface DemoApi {
  baseUrl: string;
  token: string;
}

async function call(api: DemoApi, method: string, path: string, body?: unknown): Promise<any> {
  const response = await fetch(`${api.baseUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${api.token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}: ${text}`);
  return text ? JSON.parse(text) : null;
}

/**
 * Demo data for a new DATA_DIR, made through the public API like any user would: a refrigerated
 * vending machine template, a thousand machines in five cities, a few sets (one broken), and a
 * finished job in the history.
 */
export async function seedDemoFleet(api: DemoApi, hub: HubSimulatorAdminClient): Promise<string> {
  await call(api, 'PUT', '/api/device-templates/vending-machine', {
    displayName: 'Refrigerated vending machine',
    capabilities: [
      { name: 'fanSpeed', kind: 'setting', schema: 'number' },
      { name: 'location', kind: 'property', schema: 'string' },
      { name: 'reboot', kind: 'command', schema: 'object' },
    ],
  });
  const devices = Array.from({ length: DEMO_DEVICE_COUNT }, (_, index) => {
    const simulator = demoSimulatorBehaviour(index);
    return {
      id: `vm-${String(index + 1).padStart(4, '0')}`,
      displayName: `Vending machine ${index + 1}`,
      template: 'vending-machine',
      tags: { city: CITIES[index % CITIES.length], ...(simulator ? { simulator } : {}) },
    };
  });
  await call(api, 'POST', '/api/devices/batch', { devices });
  const set = (id: string, displayName: string, conditions: unknown[]) => call(api, 'PUT', `/api/device-sets/${id}`, { displayName, conditions });
  await set('all-vending-machines', 'All vending machines', [{ field: 'template', operator: 'eq', value: 'vending-machine' }]);
  for (const city of ['Seattle', 'Denver']) {
    await set(`${city.toLowerCase()}-vms`, `${city} vending machines`, [
      { field: 'template', operator: 'eq', value: 'vending-machine' },
      { field: 'tags.city', operator: 'eq', value: city },
    ]);
  }
  await call(api, 'PUT', '/api/device-templates/coffee-machine', {
    displayName: 'Coffee machine',
    capabilities: [{ name: 'brew', kind: 'command', schema: 'object' }],
  });
  await set('coffee-machines', 'Coffee machines', [{ field: 'template', operator: 'eq', value: 'coffee-machine' }]);
  await call(api, 'DELETE', '/api/device-templates/coffee-machine');

  const last = devices[devices.length - 1].id;
  await waitUntil(async () => (await hub.request('GET', `/twins/${last}`)).status === 200, {
    timeoutMs: 120_000,
    intervalMs: 500,
    what: 'the demo fleet to reach the hub',
  });
  await call(api, 'PUT', '/api/jobs/welcome-denver-location', {
    displayName: 'Record Denver locations',
    description: 'A finished demo job',
    deviceSet: 'denver-vms',
    operations: [{ type: 'property', name: 'location', value: 'Denver, CO' }],
  });
  return `${DEMO_DEVICE_COUNT} vending machines, 4 device sets (coffee-machines is broken), 1 job`;
}
