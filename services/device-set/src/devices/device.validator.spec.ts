import { duplicateIdErrors, MAX_TAGS_BYTES, validateTags } from './device.validator';

describe('validateTags', () => {
  it('accepts a JSON object up to 16 KiB', () => {
    expect(validateTags({ city: 'Seattle', floors: [1, 2], site: { zone: 'b' } })).toEqual([]);
    const padding = MAX_TAGS_BYTES - JSON.stringify({ a: '' }).length;
    expect(validateTags({ a: 'x'.repeat(padding) })).toEqual([]);
  });

  it('refuses more than 16 KiB, counted in UTF-8 bytes', () => {
    const padding = MAX_TAGS_BYTES - JSON.stringify({ a: '' }).length;
    expect(validateTags({ a: 'x'.repeat(padding + 1) })[0].field).toBe('tags');
    expect(validateTags({ a: 'é'.repeat(padding / 2 + 1) })[0].message).toMatch(/16384 bytes/);
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
