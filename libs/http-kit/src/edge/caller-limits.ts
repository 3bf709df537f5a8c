import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { ipKeyGenerator, rateLimit } from 'express-rate-limit';
import { ACTOR_HEADER, decodeActorHeader } from '../actor/actor-header';
import { problemInstance } from '../problems/problem-instance';

/** How much one caller (an API token, a signed-in user, else a client address) may ask at once. */
export interface CallerLimits {
  /** Requests per minute per caller; 0 lifts the limit. */
  requestsPerMinute: number;
  /** Live job streams open at once per caller; 0 lifts the cap. */
  streamsPerCaller: number;
}

export const DEFAULT_CALLER_LIMITS: CallerLimits = { requestsPerMinute: 6000, streamsPerCaller: 20 };

/** `RATE_LIMIT_PER_MINUTE` and `STREAMS_PER_CALLER`; a value that is not a whole number ≥ 0 stops the start. */
export function readCallerLimits(env: NodeJS.ProcessEnv): CallerLimits {
  const whole = (name: string, fallback: number): number => {
    const text = env[name];
    if (text === undefined || text === '') return fallback;
    if (!/^\d+$/.test(text)) throw new Error(`${name} must be a whole number ≥ 0 (0 lifts the limit); it is "${text}"`);
    return Number(text);
  };
  return {
    requestsPerMinute: whole('RATE_LIMIT_PER_MINUTE', DEFAULT_CALLER_LIMITS.requestsPerMinute),
    streamsPerCaller: whole('STREAMS_PER_CALLER', DEFAULT_CALLER_LIMITS.streamsPerCaller),
  };
}

/** Whom a request counts against: the actor the edge authenticated, else the client's address. */
export function callerKey(request: Request): string {
  const header = request.headers[ACTOR_HEADER];
  const actor = typeof header === 'string' ? decodeActorHeader(header) : null;
  return actor ? actor.id : `address:${ipKeyGenerator(request.ip ?? request.socket.remoteAddress ?? 'unknown')}`;
}

function tooMany(response: Response, request: Request, retryAfterSeconds: number, field: string, detail: string): void {
  response
    .status(429)
    .set('retry-after', String(Math.max(1, retryAfterSeconds)))
    .type('application/problem+json')
    .send(
      JSON.stringify({
        type: 'about:blank',
        title: 'Too Many Requests',
        status: 429,
        detail,
        instance: problemInstance(request.originalUrl),
        errors: [{ field, message: detail }],
      }),
    );
}

/**
 * The edge's limits per caller, after authentication (so a token's requests count against that
 * token wherever they come from): requests per minute, and open job streams.
 */
export function limitCallers(limits: CallerLimits): RequestHandler {
  const handlers: RequestHandler[] = [];
  if (limits.requestsPerMinute > 0) {
    handlers.push(
      rateLimit({
        windowMs: 60_000,
        limit: limits.requestsPerMinute,
        keyGenerator: callerKey,
        standardHeaders: 'draft-7',
        legacyHeaders: false,
        // Proxies in front are a deployment's choice; the caller is the authenticated actor anyway.
        validate: { xForwardedForHeader: false },
        handler: (request, response) => {
          const resetTime = (request as Request & { rateLimit?: { resetTime?: Date } }).rateLimit?.resetTime;
          const seconds = resetTime ? Math.ceil((resetTime.getTime() - Date.now()) / 1000) : 60;
          tooMany(response, request, seconds, 'authorization', `more than ${limits.requestsPerMinute} requests a minute from this caller; try again in ${seconds} s`);
        },
      }),
    );
  }
  if (limits.streamsPerCaller > 0) handlers.push(capStreams(limits.streamsPerCaller));
  return (request, response, next) => {
    // The API only: the dashboard's files, health and the services' internal calls are not counted.
    if (!request.originalUrl.startsWith('/api/')) return next();
    const run = (index: number): void => {
      if (index === handlers.length) return next();
      void handlers[index](request, response, (error?: unknown) => (error ? next(error) : run(index + 1)));
    };
    run(0);
  };
}

const STREAM_PATH = /^\/api\/jobs\/[^/]+\/stream(?:\?|$)/;

function capStreams(max: number): RequestHandler {
  const open = new Map<string, number>();
  return (request: Request, response: Response, next: NextFunction) => {
    if (request.method !== 'GET' || !STREAM_PATH.test(request.originalUrl)) return next();
    const key = callerKey(request);
    const count = open.get(key) ?? 0;
    if (count >= max) {
      tooMany(response, request, 5, 'stream', `${max} job streams are already open for this caller; close one first`);
      return;
    }
    open.set(key, count + 1);
    response.once('close', () => {
      const left = (open.get(key) ?? 1) - 1;
      if (left > 0) open.set(key, left);
      else open.delete(key);
    });
    next();
  };
}
