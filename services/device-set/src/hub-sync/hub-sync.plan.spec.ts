import type { DeviceDeleted, DeviceRegistered, FleetEvent } from '@fleetjobs/contracts';
import { planHubSync } from './hub-sync.plan';

let sequence = 0;
const registered = (deviceId: string, origin: 'api' | 'hub-import' = 'api', city = 'Seattle'): DeviceRegistered => ({
  id: `e${(sequence += 1)}`,
  type: 'DeviceRegistered',
  version: 1,
  source: '/fleetjobs/device-set',
  subject: deviceId,
  time: '2030-01-01T00:00:00.000Z',
  data: { deviceId, displayName: deviceId.toUpperCase(), template: 'vm', tags: { city }, origin },
});
const deleted = (deviceId: string): DeviceDeleted => ({
  id: `e${(sequence += 1)}`,
  type: 'DeviceDeleted',
  version: 1,
  source: '/fleetjobs/device-set',
  subject: deviceId,
  time: '2030-01-01T00:00:00.000Z',
  data: { deviceId, deletedAt: '2030-01-01T00:00:00.000Z' },
});

describe('planHubSync', () => {
  it('upserts devices registered through the API and deletes deleted ones', () => {
    expect(planHubSync([registered('a'), registered('b'), deleted('c')])).toEqual([
      {
        kind: 'upsert',
        devices: [
          { deviceId: 'a', displayName: 'A', template: 'vm', tags: { city: 'Seattle' } },
          { deviceId: 'b', displayName: 'B', template: 'vm', tags: { city: 'Seattle' } },
        ],
      },
      { kind: 'delete', deviceIds: ['c'] },
    ]);
  });

  it('keeps only the last state of each device, deletions included', () => {
    expect(planHubSync([registered('a', 'api', 'Paris'), deleted('a')])).toEqual([{ kind: 'delete', deviceIds: ['a'] }]);
    expect(planHubSync([deleted('a'), registered('a', 'api', 'Oslo')])).toEqual([
      { kind: 'upsert', devices: [{ deviceId: 'a', displayName: 'A', template: 'vm', tags: { city: 'Oslo' } }] },
    ]);
    expect(planHubSync([registered('a', 'api', 'Paris'), registered('a', 'api', 'Oslo')])).toEqual([
      { kind: 'upsert', devices: [{ deviceId: 'a', displayName: 'A', template: 'vm', tags: { city: 'Oslo' } }] },
    ]);
  });

  it('orders devices by their last event', () => {
    const calls = planHubSync([registered('a'), deleted('b'), registered('c'), deleted('a'), registered('d')]);
    expect(calls.map((call) => [call.kind, call.kind === 'upsert' ? call.devices.map((d) => d.deviceId) : call.deviceIds])).toEqual([
      ['delete', ['b']],
      ['upsert', ['c']],
      ['delete', ['a']],
      ['upsert', ['d']],
    ]);
  });

  it('leaves devices registered by a hub import alone, even after an API change in the same batch', () => {
    expect(planHubSync([registered('a', 'hub-import')])).toEqual([]);
    expect(planHubSync([registered('a'), registered('a', 'hub-import')])).toEqual([]);
  });

  it('splits calls at the call size', () => {
    const events: FleetEvent[] = Array.from({ length: 250 }, (_, i) => registered(`d${i}`));
    expect(planHubSync(events).map((call) => (call.kind === 'upsert' ? call.devices.length : -1))).toEqual([100, 100, 50]);
  });

  it('ignores other device-topic events', () => {
    const other: FleetEvent = {
      id: 'x',
      type: 'DeviceTemplateDeleted',
      version: 1,
      source: '/fleetjobs/device-set',
      subject: 'vm',
      time: '2030-01-01T00:00:00.000Z',
      data: { templateId: 'vm' },
    };
    expect(planHubSync([other])).toEqual([]);
  });
});
