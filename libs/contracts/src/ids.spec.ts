import { isValidId } from './ids';

describe('isValidId', () => {
  it.each(['a', 'vm-001', 'a.b', '...', '.a', 'a..', '.hidden', 'ns:dev_1.2', 'x'.repeat(128)])('accepts %p', (id) => {
    expect(isValidId(id)).toBe(true);
  });

  it.each(['', '.', '..', 'x'.repeat(129), 'a/b', 'a b', 'é', '..\n', 42, null])('refuses %p', (id) => {
    expect(isValidId(id)).toBe(false);
  });
});
