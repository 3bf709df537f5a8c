import { Device, DeviceSet, DeviceTemplate, Job, Schedule } from '../api/fleetjobs-api.types';

export const vendingMachine: DeviceTemplate = {
  id: 'vending-machine',
  displayName: 'Refrigerated vending machine',
  capabilities: [
    { name: 'fanSpeed', kind: 'setting', schema: 'number' },
    { name: 'ecoMode', kind: 'setting', schema: 'boolean' },
    { name: 'display', kind: 'setting', schema: 'object' },
    { name: 'location', kind: 'property', schema: 'string' },
    { name: 'reboot', kind: 'command', schema: 'object' },
  ],
};

export const seattle: DeviceSet = {
  id: 'seattle-vms',
  displayName: 'Seattle vending machines',
  conditions: [
    { field: 'template', operator: 'eq', value: 'vending-machine' },
    { field: 'tags.city', operator: 'eq', value: 'Seattle' },
  ],
  broken: false,
  brokenReason: null,
};

export const orphans: DeviceSet = {
  id: 'orphans',
  displayName: 'Retired kiosks',
  conditions: [{ field: 'template', operator: 'eq', value: 'kiosk' }],
  broken: true,
  brokenReason: 'The template "kiosk" was deleted.',
};

/** 25 devices: three pages of the picker's ten. */
export const seattleDevices: Device[] = Array.from({ length: 25 }, (_, i) => {
  const n = String(i + 1).padStart(3, '0');
  return { id: `vm-${n}`, displayName: `Vending machine ${i + 1}`, template: 'vending-machine', tags: { city: 'Seattle' } };
});

export function aJob(overrides: Partial<Job> = {}): Job {
  return {
    id: 'raise-fan-speed',
    displayName: 'Raise fan speed',
    description: 'Hot week in Seattle',
    deviceSet: 'seattle-vms',
    devices: null,
    operations: [{ type: 'setting', name: 'fanSpeed', value: 5 }],
    status: 'running',
    error: null,
    createdAt: '2025-06-01T10:00:00.000Z',
    startedAt: '2025-06-01T10:00:01.000Z',
    endedAt: null,
    counts: { total: 25, pending: 20, completed: 4, failed: 1 },
    rollout: null,
    rolloutProgress: null,
    approval: null,
    createdBy: null,
    stoppedBy: null,
    ...overrides,
  };
}

/** A schedule of nightly fan-speed runs, two made so far. */
export function aSchedule(overrides: Partial<Schedule> = {}): Schedule {
  return {
    id: 'nightly-fan',
    displayName: 'Nightly fan speed',
    status: 'active',
    recurrence: { cron: '0 2 * * *', timeZone: 'Europe/Berlin', count: 5 },
    nextRunAt: '2025-06-03T00:00:00.000Z',
    runs: 2,
    nextRunId: 'nightly-fan.run-2',
    lastRunId: 'nightly-fan.run-1',
    job: { description: 'Cool down at night', deviceSet: 'seattle-vms', devices: null, operations: [{ type: 'setting', name: 'fanSpeed', value: 5 }] },
    createdAt: '2025-06-01T10:00:00.000Z',
    createdBy: { id: 'token:test-operator', name: 'Test operator' },
    ...overrides,
  };
}
