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

  it('refuses names IoT Hub refuses: twin keys for settings and properties, method names for commands', () => {
    const errors = validateCapabilities([
      { name: '$version', kind: 'setting', schema: 'number' },
      { name: 'serial.no', kind: 'property', schema: 'string' },
      { name: 'do it', kind: 'command', schema: 'object' },
      { name: 'firmware.update', kind: 'command', schema: 'object' },
      { name: 'fan:speed', kind: 'setting', schema: 'number' },
    ]);
    expect(errors.map((error) => error.field)).toEqual(['capabilities[0].name', 'capabilities[1].name', 'capabilities[2].name']);
    expect(errors[0].message).toMatch(/twin key/);
    expect(errors[2].message).toMatch(/method name/);
  });

  it('accepts a template without capabilities', () => {
    expect(validateCapabilities([])).toEqual([]);
  });
});
