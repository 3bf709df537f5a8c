import type { DeviceDeleted, DeviceRegistered, FleetEvent } from '@fleetjobs/contracts';
import { devicesToSync } from './hub-sync.plan';

let sequence = 0;
const registered = (deviceId: string, origin: 'api' | 'hub-import' = 'api'): DeviceRegistered => ({
  id: `e${(sequence += 1)}`,
  type: 'DeviceRegistered',
  version: 1,
  source: '/fleetjobs/device-set',
  subject: deviceId,
  time: '2030-01-01T00:00:00.000Z',
  data: { deviceId, displayName: deviceId.toUpperCase(), template: 'vm', tags: {}, origin },
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

describe('devicesToSync', () => {
  it('names each registered or deleted device once', () => {
    expect(devicesToSync([registered('a'), registered('b'), deleted('c'), registered('a'), registered('d', 'hub-import')])).toEqual([
      'b',
      'c',
      'a',
      'd',
    ]);
  });

  it('orders devices by their last event', () => {
    expect(devicesToSync([registered('a'), deleted('b'), registered('c'), deleted('a')])).toEqual(['b', 'c', 'a']);
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
    expect(devicesToSync([other])).toEqual([]);
  });
});
