import { unstorableJsonReason } from './storable-json';

describe('unstorableJsonReason', () => {
  it('accepts ordinary JSON, including paired surrogates', () => {
    expect(unstorableJsonReason({ city: 'Zürich 😀', n: 1.5, ok: true, none: null, list: [1, { a: 'b' }] })).toBeNull();
  });

  it('refuses U+0000 and unpaired surrogates in values and keys', () => {
    expect(unstorableJsonReason({ a: 'x\u0000' })).toMatch(/U\+0000/);
    expect(unstorableJsonReason({ a: ['\udc00'] })).toMatch(/surrogates/);
    expect(unstorableJsonReason({ ['k\u0000']: 1 })).toMatch(/keys/);
  });

  it('refuses non-finite numbers and deep nesting', () => {
    expect(unstorableJsonReason({ a: Infinity })).toMatch(/finite/);
    let deep: unknown = 1;
    for (let i = 0; i < 40; i += 1) deep = [deep];
    expect(unstorableJsonReason(deep)).toMatch(/nest/);
  });
});
