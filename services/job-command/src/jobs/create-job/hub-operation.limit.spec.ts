import { hubOperationErrors } from './hub-operation.limit';

describe("a job's operations against IoT Hub's limits", () => {
  it('accepts what the hub accepts', () => {
    expect(
      hubOperationErrors([
        { type: 'setting', name: 'fanSpeed', value: { level: 3, curve: [1, 2, 3] } },
        { type: 'property', name: 'location', value: 'x'.repeat(2000) },
        { type: 'command', name: 'firmware.update', value: { url: 'https://x', blob: 'y'.repeat(100_000) } },
        { type: 'setting', name: 'gone', value: null },
      ]),
    ).toEqual([]);
  });

  it('names the operation field the hub would refuse', () => {
    const errors = hubOperationErrors([
      { type: 'setting', name: '$version', value: 1 },
      { type: 'property', name: 'serial.no', value: 'A1' },
      { type: 'command', name: 'do it', value: {} },
      { type: 'command', name: 'upload', value: { blob: 'x'.repeat(200 * 1024) } },
      { type: 'property', name: 'notes', value: 'x'.repeat(9 * 1024) },
      { type: 'setting', name: 'profile', value: { 'a b': 1 } },
      { type: 'property', name: 'many', value: ['x'.repeat(1500), 'y'.repeat(1500)] },
    ]);
    expect(errors.map((error) => error.field)).toEqual([
      'operations[0].name',
      'operations[1].name',
      'operations[2].name',
      'operations[3].value',
      'operations[4].value',
      'operations[5].value.a b',
      'operations[6].value',
    ]);
    expect(errors[4].message).toMatch(/4096 bytes/);
    expect(errors[6].message).toMatch(/2048 bytes/);
  });

  it('counts a setting from properties/desired and a property from tags.properties for depth', () => {
    let ten: unknown = 1;
    for (let level = 0; level < 10; level++) ten = { d: ten };
    expect(hubOperationErrors([{ type: 'setting', name: 's', value: ten }])).toEqual([]);
    expect(hubOperationErrors([{ type: 'property', name: 'p', value: ten }])[0].message).toMatch(/10 levels/);
  });
});
