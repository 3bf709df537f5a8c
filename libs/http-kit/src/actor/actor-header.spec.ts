import { Actor } from '@fleetjobs/contracts';
import { ACTOR_HEADER, decodeActorHeader, encodeActorHeader, MAX_ACTOR_HEADER_LENGTH } from './actor-header';

const actor: Actor = { id: 'user:4f1c', name: 'Zoë Ødegård', role: 'operator', address: '10.1.2.3' };
const encoded = (json: string) => Buffer.from(json, 'utf8').toString('base64url');

describe('actor header', () => {
  it('is named x-fleetjobs-actor', () => {
    expect(ACTOR_HEADER).toBe('x-fleetjobs-actor');
  });

  it('gives back the actor it encoded, names beyond ASCII included', () => {
    expect(decodeActorHeader(encodeActorHeader(actor))).toEqual(actor);
  });

  it('encodes base64url JSON, a value any HTTP header can carry', () => {
    const value = encodeActorHeader(actor);
    expect(value).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(JSON.parse(Buffer.from(value, 'base64url').toString('utf8'))).toEqual(actor);
  });

  it('keeps an actor without an address without one', () => {
    const { address: _address, ...withoutAddress } = actor;
    expect(decodeActorHeader(encodeActorHeader(withoutAddress))).toEqual(withoutAddress);
  });

  it('drops fields an actor does not have', () => {
    expect(decodeActorHeader(encoded(JSON.stringify({ ...actor, admin: true })))).toEqual(actor);
  });

  it('tells standard base64 from base64url', () => {
    expect(Buffer.from(JSON.stringify({ ...actor, name: '???' })).toString('base64')).toMatch(/[+/=]/);
  });

  it.each([
    ['an empty value', ''],
    ['plain JSON', JSON.stringify(actor)],
    ['standard base64', Buffer.from(JSON.stringify({ ...actor, name: '???' })).toString('base64')],
    ['base64url of something not JSON', encoded('not json')],
    ['JSON that is not an object', encoded('"user:1"')],
    ['an unknown role', encoded(JSON.stringify({ ...actor, role: 'root' }))],
    ['an empty id', encoded(JSON.stringify({ ...actor, id: '' }))],
    ['no name', encoded(JSON.stringify({ id: 'user:1', role: 'viewer' }))],
    ['a value too long', encoded(JSON.stringify({ ...actor, name: 'n'.repeat(MAX_ACTOR_HEADER_LENGTH) }))],
  ])('reads %s as no actor', (_case, value) => {
    expect(decodeActorHeader(value)).toBeNull();
  });
});
