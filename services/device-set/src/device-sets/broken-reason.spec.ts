import { Condition } from './condition';
import { brokenReason } from './broken-reason';

const seattle: Condition[] = [
  { field: 'template', operator: 'eq', value: 'vending-machine' },
  { field: 'tags.city', operator: 'eq', value: 'Seattle' },
];

describe('brokenReason', () => {
  it('is null while the fixed template exists', () => {
    expect(brokenReason(seattle, true)).toBeNull();
  });

  it('names the template once it no longer exists', () => {
    expect(brokenReason(seattle, false)).toBe('template "vending-machine" no longer exists');
  });

  it('never breaks a set without a fixed template, whatever its tag conditions', () => {
    expect(brokenReason([{ field: 'tags.city', operator: 'eq', value: 'Seattle' }], false)).toBeNull();
    expect(brokenReason([{ field: 'template', operator: 'in', value: ['a', 'b'] }], false)).toBeNull();
  });

  it('breaks a stored set whose condition no longer type-checks', () => {
    expect(brokenReason([{ field: 'displayName', operator: 'gt', value: 3 }], true)).toBe(
      'condition conditions[0].operator gt and lt compare numbers; they apply to tags.<path> fields only',
    );
  });
});
