import { deviceTwinTags, hubDeviceFromTwinTags, retagPatch } from './twin-tag.layout';

const device = { deviceId: 'd1', template: 'vending-machine', displayName: 'Lobby', tags: { city: 'Seattle', floor: 2 } };

describe('twin tag layout', () => {
  it('writes template and display name under fleetjobs and the device tags at the top level', () => {
    expect(deviceTwinTags(device)).toEqual({ fleetjobs: { template: 'vending-machine', displayName: 'Lobby' }, city: 'Seattle', floor: 2 });
    expect(deviceTwinTags({ ...device, template: null, displayName: null, tags: {} })).toEqual({});
  });

  it('reads the same layout back, ignoring property values', () => {
    const tags = { ...deviceTwinTags(device), properties: { location: 'lobby' } };
    expect(hubDeviceFromTwinTags('d1', tags)).toEqual(device);
    expect(hubDeviceFromTwinTags('foreign', { owner: 'x' })).toEqual({ deviceId: 'foreign', template: null, displayName: null, tags: { owner: 'x' } });
    expect(hubDeviceFromTwinTags('bare', undefined)).toEqual({ deviceId: 'bare', template: null, displayName: null, tags: {} });
  });

  it('refuses device tags named like the reserved ones', () => {
    expect(() => deviceTwinTags({ ...device, tags: { properties: 1 } })).toThrow(/reserved/);
    expect(() => deviceTwinTags({ ...device, tags: { fleetjobs: 1 } })).toThrow(/reserved/);
  });

  it('re-tags without touching properties and removes dropped tags', () => {
    const current = { ...deviceTwinTags(device), properties: { location: 'lobby' } };
    expect(retagPatch(current, device)).toBeNull();
    const patch = retagPatch(current, { ...device, displayName: null, tags: { city: 'Lima' } });
    expect(patch).toEqual({ fleetjobs: { template: 'vending-machine', displayName: null }, city: 'Lima', floor: null });
    expect(patch).not.toHaveProperty('properties');
  });
});
