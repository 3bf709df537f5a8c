import { readActor, roleAllows, ROLES } from './actor';

describe('roles', () => {
  it('each role includes the ones before it and no later one', () => {
    for (const [heldIndex, held] of ROLES.entries()) {
      for (const [neededIndex, needed] of ROLES.entries()) {
        expect(roleAllows(held, needed)).toBe(heldIndex >= neededIndex);
      }
    }
  });
});

describe('readActor', () => {
  it('keeps an actor and its address', () => {
    expect(readActor({ id: 'token:t1', name: 'deploy', role: 'operator', address: '10.0.0.1' })).toEqual({
      id: 'token:t1',
      name: 'deploy',
      role: 'operator',
      address: '10.0.0.1',
    });
  });

  it.each([null, 'x', {}, { id: '', name: 'a', role: 'viewer' }, { id: 'a', name: 'a', role: 'root' }, { id: 'a', role: 'viewer' }])(
    'refuses %p',
    (value) => {
      expect(readActor(value)).toBeNull();
    },
  );
});
