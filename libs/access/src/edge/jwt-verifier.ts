import { isRole, Role, ROLES } from '@fleetjobs/contracts';
import { createRemoteJWKSet, errors, jwtVerify, JWTPayload, JWTVerifyGetKey } from 'jose';
import type { OidcConfig } from '../config/access-config';
import type { CredentialCheck } from './credential-check';

/** Leeway for clocks that differ a little between the issuer and this process. */
const CLOCK_TOLERANCE_SECONDS = 5;

export interface JwtVerifierOptions {
  /** The issuer's keys; default, fetched from `jwksUri` or the issuer's discovery document. */
  keys?: JWTVerifyGetKey;
  /** The time tokens are checked at; default, now. */
  clock?: () => Date;
  /** HTTP client for the discovery document; default, global fetch. */
  fetch?: typeof fetch;
}

/**
 * Verifies OIDC access tokens (JWT): signed by a key of the issuer's JWKS, issued by `issuer`, for
 * `audience`, not expired; the role from `roleClaim` (the highest known role among its values).
 */
export class JwtVerifier {
  private keys: Promise<JWTVerifyGetKey> | null;

  constructor(
    private readonly config: OidcConfig,
    private readonly options: JwtVerifierOptions = {},
  ) {
    this.keys = options.keys ? Promise.resolve(options.keys) : config.jwksUri ? Promise.resolve(createRemoteJWKSet(new URL(config.jwksUri))) : null;
  }

  async verify(token: string): Promise<CredentialCheck> {
    let keys: JWTVerifyGetKey;
    try {
      keys = await this.issuerKeys();
    } catch (error) {
      return { outcome: 'unavailable', reason: "the identity provider's keys could not be fetched", cause: messageOf(error) };
    }
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, keys, {
        issuer: this.config.issuer,
        audience: this.config.audience,
        clockTolerance: CLOCK_TOLERANCE_SECONDS,
        currentDate: this.options.clock?.(),
        requiredClaims: ['exp'],
      }));
    } catch (error) {
      return refusal(error, this.config);
    }
    if (typeof payload.sub !== 'string' || payload.sub === '') return { outcome: 'unauthenticated', reason: 'the token names no subject (sub)' };
    const role = highestRole(claimAt(payload, this.config.roleClaim));
    const name = [payload.name, payload.preferred_username, payload.email].find((candidate) => typeof candidate === 'string' && candidate !== '');
    if (!role) {
      return { outcome: 'no-role', reason: `the token grants no role of this product (claim ${this.config.roleClaim}: one of ${ROLES.join(', ')})` };
    }
    return { outcome: 'actor', actor: { id: `user:${payload.sub}`, name: (name as string | undefined) ?? payload.sub, role } };
  }

  private issuerKeys(): Promise<JWTVerifyGetKey> {
    if (!this.keys) {
      this.keys = this.discoverKeys();
      // A failed discovery is tried again by the next request rather than remembered.
      this.keys.catch(() => (this.keys = null));
    }
    return this.keys;
  }

  private async discoverKeys(): Promise<JWTVerifyGetKey> {
    const url = `${this.config.issuer.replace(/\/$/, '')}/.well-known/openid-configuration`;
    const response = await (this.options.fetch ?? fetch)(url, { signal: AbortSignal.timeout(5000) });
    if (!response.ok) throw new Error(`${url} answered ${response.status}`);
    const document = (await response.json()) as { jwks_uri?: unknown };
    if (typeof document.jwks_uri !== 'string') throw new Error(`${url} names no jwks_uri`);
    return createRemoteJWKSet(new URL(document.jwks_uri));
  }
}

/** The claim by its exact name, else by a dotted path (`realm_access.roles`). */
function claimAt(payload: JWTPayload, claim: string): unknown {
  if (claim in payload) return payload[claim];
  return claim.split('.').reduce<unknown>((node, key) => (node && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined), payload);
}

/** The highest known role in a claim: a string (roles separated by spaces or commas) or an array. */
export function highestRole(claim: unknown): Role | null {
  const values = typeof claim === 'string' ? claim.split(/[\s,]+/) : Array.isArray(claim) ? claim : [];
  const known = values.filter(isRole);
  return known.length === 0 ? null : known.reduce((best, role) => (ROLES.indexOf(role) > ROLES.indexOf(best) ? role : best));
}

function refusal(error: unknown, config: OidcConfig): CredentialCheck {
  if (error instanceof errors.JWTExpired) return { outcome: 'unauthenticated', reason: 'the token has expired' };
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.claim === 'iss') return { outcome: 'unauthenticated', reason: `the token was not issued by ${config.issuer}` };
    if (error.claim === 'aud') return { outcome: 'unauthenticated', reason: `the token is not meant for this API (audience ${config.audience})` };
    return { outcome: 'unauthenticated', reason: `the token's ${error.claim} claim is not valid: ${error.reason}` };
  }
  if (error instanceof errors.JWKSTimeout) return { outcome: 'unavailable', reason: "the identity provider's keys could not be fetched in time" };
  if (error instanceof errors.JWKSNoMatchingKey || error instanceof errors.JWSSignatureVerificationFailed) {
    return { outcome: 'unauthenticated', reason: 'the token is not signed by a key of the issuer' };
  }
  if (error instanceof errors.JOSEError && error.code !== 'ERR_JOSE_GENERIC') {
    return { outcome: 'unauthenticated', reason: 'the token is not a valid signed JWT' };
  }
  return { outcome: 'unavailable', reason: "the identity provider's keys could not be fetched", cause: messageOf(error) };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
