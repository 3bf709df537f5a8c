import { validateCapabilities } from './capability.validator';

describe('validateCapabilities', () => {
  it('accepts distinct names of 1 to 128 characters', () => {
    expect(
      validateCapabilities([
        { name: 'fanSpeed', kind: 'setting', schema: 'number' },
        { name: 'x'.repeat(128), kind: 'property', schema: 'string' },
      ]),
    ).toEqual([]);
  });

  it('names empty, too long and control-character names', () => {
    expect(
      validateCapabilities([
        { name: '', kind: 'setting', schema: 'number' },
        { name: 'x'.repeat(129), kind: 'setting', schema: 'number' },
        { name: 'a\nb', kind: 'command', schema: 'object' },
      ]).map((error) => error.field),
    ).toEqual(['capabilities[0].name', 'capabilities[1].name', 'capabilities[2].name']);
  });

  it('names every duplicate after the first, across kinds', () => {
    expect(
      validateCapabilities([
        { name: 'reboot', kind: 'command', schema: 'object' },
        { name: 'fan', kind: 'setting', schema: 'number' },
        { name: 'reboot', kind: 'setting', schema: 'boolean' },
      ]),
    ).toEqual([{ field: 'capabilities[2].name', message: 'duplicates capabilities[0].name' }]);
  });

  it('accepts a template without capabilities', () => {
    expect(validateCapabilities([])).toEqual([]);
  });
});
