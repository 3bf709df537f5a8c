import { validateConditions } from './condition.validator';

const fieldsOf = (conditions: unknown) => validateConditions(conditions).map((error) => error.field);

describe('validateConditions', () => {
  it('accepts the contract example', () => {
    expect(
      validateConditions([
        { field: 'template', operator: 'eq', value: 'vending-machine' },
        { field: 'tags.city', operator: 'eq', value: 'Seattle' },
      ]),
    ).toEqual([]);
  });

  it('wants 1 to 20 conditions', () => {
    expect(fieldsOf([])).toEqual(['conditions']);
    expect(fieldsOf(Array.from({ length: 21 }, () => ({ field: 'id', operator: 'eq', value: 'a' })))).toEqual(['conditions']);
    expect(fieldsOf(Array.from({ length: 20 }, () => ({ field: 'id', operator: 'eq', value: 'a' })))).toEqual([]);
    expect(fieldsOf('nope')).toEqual(['conditions']);
  });

  it('names unknown fields and malformed tag paths', () => {
    expect(
      fieldsOf([
        { field: 'location', operator: 'eq', value: 'a' },
        { field: 'tags.', operator: 'eq', value: 'a' },
        { field: 'tags.a..b', operator: 'eq', value: 'a' },
        { field: 'tags.a b', operator: 'eq', value: 'a' },
        { field: 'tags.site.city_2-x', operator: 'eq', value: 'a' },
        { field: 7, operator: 'eq', value: 'a' },
      ]),
    ).toEqual(['conditions[0].field', 'conditions[1].field', 'conditions[2].field', 'conditions[3].field', 'conditions[5].field']);
  });

  it('names unknown operators', () => {
    expect(validateConditions([{ field: 'id', operator: 'like', value: 'a' }])).toEqual([
      { field: 'conditions[0].operator', message: 'must be one of eq, neq, in, contains, gt, lt' },
    ]);
  });

  it('takes an array for in, a number for gt and lt, a string for contains, a scalar for eq and neq', () => {
    expect(
      fieldsOf([
        { field: 'tags.a', operator: 'in', value: 'x' },
        { field: 'tags.a', operator: 'in', value: [] },
        { field: 'tags.a', operator: 'in', value: [1, { x: 1 }] },
        { field: 'tags.a', operator: 'gt', value: '5' },
        { field: 'tags.a', operator: 'lt', value: null },
        { field: 'tags.a', operator: 'contains', value: 3 },
        { field: 'tags.a', operator: 'eq', value: { x: 1 } },
        { field: 'tags.a', operator: 'neq', value: [1] },
        { field: 'tags.a', operator: 'eq' },
      ]),
    ).toEqual([
      'conditions[0].value',
      'conditions[1].value',
      'conditions[2].value',
      'conditions[3].value',
      'conditions[4].value',
      'conditions[5].value',
      'conditions[6].value',
      'conditions[7].value',
      'conditions[8].value',
    ]);
    expect(
      fieldsOf([
        { field: 'tags.a', operator: 'in', value: [1, 'x', true, null] },
        { field: 'tags.a', operator: 'gt', value: 5 },
        { field: 'tags.a', operator: 'lt', value: -0.5 },
        { field: 'tags.a', operator: 'contains', value: 'x' },
        { field: 'tags.a', operator: 'eq', value: null },
        { field: 'tags.a', operator: 'neq', value: false },
      ]),
    ).toEqual([]);
  });

  it('takes strings only on id, displayName and template, and refuses gt and lt there', () => {
    expect(validateConditions([{ field: 'displayName', operator: 'gt', value: 3 }])).toEqual([
      { field: 'conditions[0].operator', message: 'gt and lt compare numbers; they apply to tags.<path> fields only' },
    ]);
    expect(
      fieldsOf([
        { field: 'id', operator: 'eq', value: 5 },
        { field: 'template', operator: 'in', value: ['a', 1] },
        { field: 'displayName', operator: 'contains', value: '' },
        { field: 'template', operator: 'neq', value: 'b' },
      ]),
    ).toEqual(['conditions[0].value', 'conditions[1].value', 'conditions[2].value']);
  });

  it('refuses text PostgreSQL cannot store', () => {
    expect(fieldsOf([{ field: 'tags.a', operator: 'eq', value: 'a\u0000b' }])).toEqual(['conditions[0].value']);
    expect(fieldsOf([{ field: 'id', operator: 'eq', value: '\ud800' }])).toEqual(['conditions[0].value']);
  });

  it('lets only one condition fix the template', () => {
    expect(
      fieldsOf([
        { field: 'template', operator: 'eq', value: 'a' },
        { field: 'template', operator: 'eq', value: 'b' },
      ]),
    ).toEqual(['conditions[1].field']);
  });

  it('names a condition that is not an object', () => {
    expect(fieldsOf([null, 'x'])).toEqual(['conditions[0]', 'conditions[1]']);
  });
});
