import { Actor, readActor } from '@fleetjobs/contracts';

/**
 * The request header by which the public edge tells a service who sent a request, after it
 * authenticated them. Services believe it only because their own ports are never public: the edge
 * deletes any such header a client sends and sets its own.
 */
export const ACTOR_HEADER = 'x-fleetjobs-actor';

/** Longest header value read; an actor is a few hundred bytes. */
export const MAX_ACTOR_HEADER_LENGTH = 4096;

const BASE64URL = /^[A-Za-z0-9_-]+$/;

/** The header's value for `actor`: its JSON, base64url-encoded so any name survives as a header. */
export function encodeActorHeader(actor: Actor): string {
  return Buffer.from(JSON.stringify(actor), 'utf8').toString('base64url');
}

/** Reads the header's value back; `null` when it is not an actor the edge encoded. */
export function decodeActorHeader(value: string): Actor | null {
  if (value.length === 0 || value.length > MAX_ACTOR_HEADER_LENGTH || !BASE64URL.test(value)) return null;
  try {
    return readActor(JSON.parse(Buffer.from(value, 'base64url').toString('utf8')));
  } catch {
    return null;
  }
}
