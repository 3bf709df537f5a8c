import type { Actor } from '@fleetjobs/contracts';

/**
 * What checking a bearer credential found: who it is, or why the request is refused —
 * `unauthenticated` (401: missing, malformed, unknown, expired, revoked, not for this API),
 * `no-role` (403: genuine, but it grants no role of this product), `unavailable` (503: the issuer's
 * keys or the token store could not be reached; retry).
 */
export type CredentialCheck =
  | { outcome: 'actor'; actor: Actor }
  | { outcome: 'unauthenticated'; reason: string }
  | { outcome: 'no-role'; reason: string }
  | { outcome: 'unavailable'; reason: string; /** For the log only: it may name addresses. */ cause?: string };

/**
 * The port by which the edge asks the owner of API tokens who a token stands for: the actor, or
 * `null` for a token that is unknown, revoked, expired or malformed. Never cached: a revoke takes
 * effect on the next request.
 */
export type VerifyApiToken = (credential: string) => Promise<Actor | null>;
