import { Logger } from '@nestjs/common';
import { Actor, roleAllows } from '@fleetjobs/contracts';
import { ACTOR_HEADER, encodeActorHeader, problemInstance } from '@fleetjobs/http-kit';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { AccessConfig } from '../config/access-config';
import { routeOf } from '../routes/route-roles';
import { looksLikeApiToken } from '../tokens/api-token';
import { CredentialCheck, VerifyApiToken } from './credential-check';
import { JwtVerifier, JwtVerifierOptions } from './jwt-verifier';

export interface AccessEdgeOptions {
  config: AccessConfig;
  /** Asks the owner of API tokens who a `fjt_…` token stands for. */
  verifyApiToken: VerifyApiToken;
  /** Keys and clock of the JWT check (tests); default, the issuer's JWKS and now. */
  jwt?: JwtVerifierOptions;
  logger?: Pick<Logger, 'warn'>;
}

/** Who acts when authentication is off: anyone, as an administrator. */
export const ANONYMOUS_ACTOR: Actor = { id: 'local:anonymous', name: 'anonymous (authentication off)', role: 'administrator' };

/** Seconds a client is asked to wait after a 503 from the edge. */
const RETRY_AFTER_SECONDS = 5;

/**
 * The public edge's access check, before a request is proxied or handled:
 * 1. any `x-fleetjobs-actor` a client sent is deleted — only the edge says who acts;
 * 2. a request the route table does not know, or a public route, passes as is;
 * 3. otherwise the bearer credential (an API token `fjt_…` or an OIDC JWT) names an actor whose
 *    role must cover the route's: 401 or 403 problem documents when not;
 * 4. the actor (with the client's address) goes on in `x-fleetjobs-actor`.
 * Services believe that header only because their own ports are internal, never public.
 */
export function accessEdge(options: AccessEdgeOptions): RequestHandler {
  const { config, verifyApiToken } = options;
  const logger = options.logger ?? new Logger('AccessEdge');
  const jwt = config.oidc ? new JwtVerifier(config.oidc, options.jwt) : null;
  if (config.auth === 'off') {
    logger.warn('AUTH=off: AUTHENTICATION IS OFF. Anyone who reaches this port acts as an administrator. Use it only for local experiments.');
  }

  const check = async (credential: string): Promise<CredentialCheck> => {
    if (looksLikeApiToken(credential)) {
      try {
        const actor = await verifyApiToken(credential);
        return actor ? { outcome: 'actor', actor } : { outcome: 'unauthenticated', reason: 'the API token is unknown, revoked or expired' };
      } catch (error) {
        return { outcome: 'unavailable', reason: 'the API token could not be checked', cause: error instanceof Error ? error.message : String(error) };
      }
    }
    if (!jwt) return { outcome: 'unauthenticated', reason: 'this deployment accepts API tokens (fjt_…) only' };
    return jwt.verify(credential);
  };

  return (request: Request, response: Response, next: NextFunction) => {
    delete request.headers[ACTOR_HEADER];
    const route = routeOf(request.method, request.originalUrl ?? request.url);
    if (!route || route.access === 'public') return next();
    const needed = route.access;
    const admit = (actor: Actor) => {
      const address = request.ip ?? request.socket?.remoteAddress;
      request.headers[ACTOR_HEADER] = encodeActorHeader({ ...actor, ...(address ? { address } : {}) });
      next();
    };
    if (config.auth === 'off') return admit(ANONYMOUS_ACTOR);

    const credential = bearerCredential(request.headers.authorization);
    if (credential === null) {
      return refuse(response, request, 401, 'no credentials: send "Authorization: Bearer <token>"', MISSING);
    }
    if (credential === '') return refuse(response, request, 401, 'the Authorization header is not "Bearer <token>"', 'is not a bearer token');
    check(credential).then(
      (result) => {
        switch (result.outcome) {
          case 'actor':
            if (roleAllows(result.actor.role, needed)) return admit(result.actor);
            return refuse(response, request, 403, `this needs the ${needed} role; ${result.actor.name} has the ${result.actor.role} role`, `needs the ${needed} role`);
          case 'no-role':
            return refuse(response, request, 403, result.reason, `needs the ${needed} role`);
          case 'unauthenticated':
            return refuse(response, request, 401, result.reason, result.reason);
          case 'unavailable':
            logger.warn(`${request.method} ${request.originalUrl ?? request.url} answered 503: ${result.reason}: ${result.cause ?? ''}`);
            return refuse(response, request, 503, result.reason, 'could not be checked now; retry');
        }
      },
      (error: unknown) => next(error),
    );
  };
}

/** The credential of `Bearer <credential>`; `null` without the header, `''` when it is something else. */
function bearerCredential(header: string | undefined): string | null {
  if (header === undefined || header.trim() === '') return null;
  const match = /^Bearer +([^\s]+) *$/i.exec(header);
  return match ? match[1] : '';
}

const MISSING = 'is missing';
const TITLES: Record<number, string> = { 401: 'Unauthorized', 403: 'Forbidden', 503: 'Service Unavailable' };

function refuse(response: Response, request: Request, status: 401 | 403 | 503, detail: string, message: string): void {
  // RFC 6750 §3: no error code when the request carried no credentials at all.
  if (status === 401 && message === MISSING) response.setHeader('WWW-Authenticate', 'Bearer realm="fleetjobs"');
  else if (status === 401) response.setHeader('WWW-Authenticate', `Bearer realm="fleetjobs", error="invalid_token", error_description="${quotable(detail)}"`);
  if (status === 403) response.setHeader('WWW-Authenticate', `Bearer realm="fleetjobs", error="insufficient_scope", error_description="${quotable(detail)}"`);
  if (status === 503) response.setHeader('Retry-After', String(RETRY_AFTER_SECONDS));
  response
    .status(status)
    .type('application/problem+json')
    .send(
      JSON.stringify({
        type: 'about:blank',
        title: TITLES[status],
        status,
        detail: sentence(detail),
        instance: problemInstance(request.originalUrl ?? request.url),
        errors: [{ field: 'authorization', message }],
      }),
    );
}

/** RFC 6750's error_description: printable ASCII without `"` or `\`. */
function quotable(text: string): string {
  return text.replace(/[^\x20-\x7e]|["\\]/g, "'");
}

function sentence(text: string): string {
  const capital = text.charAt(0).toUpperCase() + text.slice(1);
  return /[.!?]$/.test(capital) ? capital : `${capital}.`;
}
