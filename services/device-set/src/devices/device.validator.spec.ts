import { duplicateIdErrors, MAX_TAGS_BYTES, validateTags } from './device.validator';

describe('validateTags', () => {
  it('accepts a JSON object up to 4 KiB', () => {
    expect(validateTags({ city: 'Seattle', floors: [1, 2], site: { zone: 'b' } })).toEqual([]);
    const padding = MAX_TAGS_BYTES - JSON.stringify({ a: '' }).length;
    expect(validateTags({ a: 'x'.repeat(padding) })).toEqual([]);
  });

  it('refuses more than 4 KiB, counted in UTF-8 bytes', () => {
    const padding = MAX_TAGS_BYTES - JSON.stringify({ a: '' }).length;
    expect(validateTags({ a: 'x'.repeat(padding + 1) })[0].field).toBe('tags');
    expect(validateTags({ a: 'é'.repeat(padding / 2 + 1) })[0].message).toMatch(/4096 bytes/);
  });

  it('refuses what an IoT Hub twin cannot hold, naming the tag', () => {
    expect(validateTags({ 'serial.no': 'A1' })).toEqual([{ field: 'tags.serial.no', message: expect.stringMatching(/IoT Hub twin key/) }]);
    expect(validateTags({ site: { $version: 1 } })[0].field).toBe('tags.site.$version');
    expect(validateTags({ 'my tag': 1 })[0].field).toBe('tags.my tag');
    let deep: unknown = 1;
    for (let level = 0; level < 11; level++) deep = { d: deep };
    expect(validateTags({ deep })[0].message).toMatch(/10 levels/);
    // 520 numbers take 1 KiB of JSON but 4160 bytes as the hub counts them.
    expect(validateTags({ readings: Array.from({ length: 520 }, () => 1) })[0].message).toMatch(/as IoT Hub counts a twin/);
  });

  it('refuses arrays, null and scalars, naming the given field', () => {
    expect(validateTags([1], 'devices[2].tags')).toEqual([{ field: 'devices[2].tags', message: 'must be a JSON object' }]);
    expect(validateTags(null)).toHaveLength(1);
    expect(validateTags('x')).toHaveLength(1);
  });

  it('refuses the tag names the hub reserves', () => {
    expect(validateTags({ fleetjobs: {}, properties: 1, city: 'x' })).toEqual([
      { field: 'tags.fleetjobs', message: '"fleetjobs" is reserved in the hub\'s twin tags' },
      { field: 'tags.properties', message: '"properties" is reserved in the hub\'s twin tags' },
    ]);
  });

  it('refuses text PostgreSQL cannot store', () => {
    expect(validateTags({ a: '\u0000' })).toHaveLength(1);
  });
});

describe('duplicateIdErrors', () => {
  it('names each repeat after the first', () => {
    expect(duplicateIdErrors(['a', 'b', 'a', 'a'], 'devices')).toEqual([
      { field: 'devices[2].id', message: 'duplicates devices[0].id' },
      { field: 'devices[3].id', message: 'duplicates devices[0].id' },
    ]);
    expect(duplicateIdErrors(['a', 'b'], 'devices')).toEqual([]);
  });
});
