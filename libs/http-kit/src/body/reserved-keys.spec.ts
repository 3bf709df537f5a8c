import { reservedKeyField } from './reserved-keys';

describe('reservedKeyField', () => {
  it.each([
    ['{"__proto__":{"admin":true},"displayName":"x"}', '__proto__'],
    ['{"operations":[{"type":"command"},{"constructor":1}]}', 'operations[1].constructor'],
    ['{"tags":{"a":{"prototype":null}}}', 'tags.a.prototype'],
    ['[{"x":[{"__proto__":1}]}]', '[0].x[0].__proto__'],
  ])('names the member of %s', (json, field) => {
    expect(reservedKeyField(JSON.parse(json))).toBe(field);
  });

  it('names the first one in document order', () => {
    expect(reservedKeyField(JSON.parse('{"a":{"constructor":1},"__proto__":2}'))).toBe('__proto__');
    expect(reservedKeyField(JSON.parse('{"a":{"constructor":1},"b":{"__proto__":2}}'))).toBe('a.constructor');
  });

  it('passes bodies that only mention the names as values or inside longer keys', () => {
    expect(reservedKeyField(JSON.parse('{"name":"constructor","tags":{"__proto__x":1,"my prototype":["__proto__"]}}'))).toBeNull();
    expect(reservedKeyField(null)).toBeNull();
    expect(reservedKeyField('__proto__')).toBeNull();
  });

  it('looks at objects without a prototype, as query strings are parsed', () => {
    const query = Object.assign(Object.create(null) as Record<string, unknown>, { limit: '5', constructor: 'x' });
    expect(reservedKeyField(query)).toBe('constructor');
  });
});
