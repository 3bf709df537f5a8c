import type { JobOperation } from '@fleetjobs/contracts';
import { revertOperations } from './revert-operations';

const location: JobOperation = { type: 'property', name: 'location', value: null };
const fanSpeed: JobOperation = { type: 'setting', name: 'fanSpeed', value: null };

describe('the operations of a revert on one device', () => {
  it('put back the value each operation of the reverted job replaced, of any JSON kind', () => {
    const recorded = [
      { kind: 'setting', name: 'fanSpeed', previous: { present: true as const, value: 3 } },
      { kind: 'property', name: 'location', previous: { present: true as const, value: { city: 'Seattle' } } },
    ];
    expect(revertOperations('raise', [location, fanSpeed], recorded)).toEqual({
      ok: true,
      operations: [
        { type: 'property', name: 'location', value: { city: 'Seattle' } },
        { type: 'setting', name: 'fanSpeed', value: 3 },
      ],
    });
  });

  it('remove a property the device did not have before', () => {
    const recorded = [{ kind: 'property', name: 'location', previous: { present: false as const } }];
    expect(revertOperations('raise', [location], recorded)).toEqual({ ok: true, operations: [{ type: 'property', name: 'location', value: null }] });
  });

  it('do not match a property and a setting of the same name', () => {
    const recorded = [{ kind: 'setting', name: 'location', previous: { present: true as const, value: 'x' } }];
    expect(revertOperations('raise', [location], recorded)).toEqual({ ok: false, error: 'not revertible: job "raise" did not write property location on this device' });
  });

  it('fail a device the reverted job never wrote, naming the job', () => {
    expect(revertOperations('raise', [fanSpeed], [])).toEqual({ ok: false, error: 'not revertible: job "raise" did not write setting fanSpeed on this device' });
  });

  it('fail a device whose setting had no value before, as a setting cannot be unset', () => {
    const recorded = [{ kind: 'setting', name: 'fanSpeed', previous: { present: false as const } }];
    expect(revertOperations('raise', [fanSpeed], recorded)).toEqual({ ok: false, error: expect.stringMatching(/^not revertible: setting fanSpeed had no value before job "raise"/) });
  });
});
