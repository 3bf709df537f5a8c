import { validate } from 'class-validator';
import { HasNoDuplicates, IsStorableText, isStorableString } from './field-validators';

class ListDto {
  @HasNoDuplicates({ message: 'must not name a device twice' })
  devices: unknown;
}

class TextDto {
  @IsStorableText()
  name: unknown;
}

const list = (devices: unknown) => Object.assign(new ListDto(), { devices });
const text = (name: unknown) => Object.assign(new TextDto(), { name });

describe('HasNoDuplicates', () => {
  it('refuses an element given twice', async () => {
    const [error] = await validate(list(['a', 'b', 'a']));
    expect(error.constraints).toEqual({ hasNoDuplicates: 'must not name a device twice' });
  });

  it('passes distinct elements, and leaves what is not an array to the other rules', async () => {
    expect(await validate(list(['a', 'b', 'c']))).toEqual([]);
    expect(await validate(list('a'))).toEqual([]);
  });

  it('checks 100,000 distinct ids in one pass', async () => {
    expect(await validate(list(Array.from({ length: 100_000 }, (_, index) => `d${index}`)))).toEqual([]);
  });
});

describe('storable text', () => {
  it.each([['a\u0000b'], ['\ud800'], ['x\udc00'], ['\udc00\ud800']])('refuses %j', async (value) => {
    expect(isStorableString(value)).toBe(false);
    expect(await validate(text(value))).toHaveLength(1);
  });

  it.each([['plain'], ['😀 paired surrogates'], ['']])('accepts %j', async (value) => {
    expect(isStorableString(value)).toBe(true);
    expect(await validate(text(value))).toEqual([]);
  });
});
