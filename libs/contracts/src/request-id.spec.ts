import { isValidRequestId } from './request-id';

describe('isValidRequestId', () => {
  it.each(['6f1c2a8e-3a53-4c2e-9d0e-5b7f3a1d2c4b', '01HZX3K5Q8', 'deploy-42.run:7', 'YWJj+ZGVm/Zw==', 'a'.repeat(128)])('takes %s', (id) => {
    expect(isValidRequestId(id)).toBe(true);
  });

  it.each([
    ['empty', ''],
    ['too long', 'a'.repeat(129)],
    ['with a space', 'a b'],
    ['with a quote', 'a"b'],
    ['with a line break', 'a\nb'],
    ['not a string', 42],
  ])('refuses one %s', (_name, id) => {
    expect(isValidRequestId(id)).toBe(false);
  });
});
