import type { JobOperation } from '@fleetjobs/contracts';
import { revertOperations } from './revert-operations';

const location: JobOperation = { type: 'property', name: 'location', value: 'Berlin' };
const fanSpeed: JobOperation = { type: 'setting', name: 'fanSpeed', value: 5 };

describe('the operations of a revert on one device', () => {
  it('put back the value each operation of the reverted job replaced, of any JSON kind', () => {
    const recorded = [
      { kind: 'setting', name: 'fanSpeed', previous: { present: true as const, value: 3 } },
      { kind: 'property', name: 'location', previous: { present: true as const, value: { city: 'Seattle' } } },
    ];
    expect(revertOperations('raise', [location, fanSpeed], recorded)).toEqual({
      operations: [
        { type: 'property', name: 'location', value: { city: 'Seattle' } },
        { type: 'setting', name: 'fanSpeed', value: 3 },
      ],
      notRevertible: null,
    });
  });

  it('remove a property the device did not have before', () => {
    const recorded = [{ kind: 'property', name: 'location', previous: { present: false as const } }];
    expect(revertOperations('raise', [location], recorded)).toEqual({ operations: [{ type: 'property', name: 'location', value: null }], notRevertible: null });
  });

  it('do not match a property and a setting of the same name', () => {
    const recorded = [{ kind: 'setting', name: 'location', previous: { present: true as const, value: 'x' } }];
    expect(revertOperations('raise', [location], recorded)).toEqual({
      operations: [],
      notRevertible: 'not revertible: job "raise" did not write property location on this device',
    });
  });

  it('name an operation the reverted job never carried out on the device, and still revert the others', () => {
    const recorded = [{ kind: 'property', name: 'location', previous: { present: true as const, value: 'Seattle' } }];
    expect(revertOperations('raise', [location, fanSpeed], recorded)).toEqual({
      operations: [{ type: 'property', name: 'location', value: 'Seattle' }],
      notRevertible: 'not revertible: job "raise" did not write setting fanSpeed on this device',
    });
  });

  it('name a setting that had no value before, as a setting cannot be unset, and still remove the property', () => {
    const recorded = [
      { kind: 'setting', name: 'fanSpeed', previous: { present: false as const } },
      { kind: 'property', name: 'location', previous: { present: false as const } },
    ];
    expect(revertOperations('raise', [location, fanSpeed], recorded)).toEqual({
      operations: [{ type: 'property', name: 'location', value: null }],
      notRevertible: 'not revertible: setting fanSpeed had no value before job "raise", and a device\'s setting cannot be unset',
    });
  });

  it('fail a device the reverted job never reached, naming every operation', () => {
    expect(revertOperations('raise', [location, fanSpeed], [])).toEqual({
      operations: [],
      notRevertible: 'not revertible: job "raise" did not write property location on this device; job "raise" did not write setting fanSpeed on this device',
    });
  });
});
