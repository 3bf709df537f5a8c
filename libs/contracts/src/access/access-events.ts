import { DataReader } from '../data-reader';
import { EventEnvelope } from '../envelope';
import { Role } from './actor';

/** An administrator created an API token (the secret is never in an event). */
export interface TokenCreatedData {
  tokenId: string;
  /** What the token is for, as its creator named it. */
  name: string;
  role: Role;
  /** ISO time; `null`: it never expires (the bootstrap token). */
  expiresAt: string | null;
}

/** An API token was revoked: it is refused from the next request on. */
export interface TokenRevokedData {
  tokenId: string;
}

export type TokenCreated = EventEnvelope<'TokenCreated', TokenCreatedData>;
export type TokenRevoked = EventEnvelope<'TokenRevoked', TokenRevokedData>;

/** The events of `fleetjobs.access`, keyed by token id. */
export type AccessTopicEvent = TokenCreated | TokenRevoked;
export type AccessTopicEventType = AccessTopicEvent['type'];

export const ACCESS_EVENT_READERS: {
  [K in AccessTopicEventType]: (r: DataReader) => Extract<AccessTopicEvent, { type: K }>['data'];
} = {
  TokenCreated: (r) => ({
    tokenId: r.string('tokenId'),
    name: r.string('name'),
    role: r.string('role') as Role,
    expiresAt: r.optionalString('expiresAt') ?? null,
  }),
  TokenRevoked: (r) => ({ tokenId: r.string('tokenId') }),
};
