import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { Actor } from '@fleetjobs/contracts';
import type { Request } from 'express';
import { ValidationProblem } from '../problems/problem.exception';
import { ACTOR_HEADER, decodeActorHeader } from './actor-header';

type Headers = Record<string, string | string[] | undefined>;

/**
 * The actor a request names in `x-fleetjobs-actor`; `undefined` when it names none (a caller
 * inside the deployment). A header that is there but unreadable is refused rather than ignored,
 * so a command is never recorded as nobody's when the edge said whose it was.
 */
export function requestActorOf(headers: Headers): Actor | undefined {
  const value = headers[ACTOR_HEADER];
  if (value === undefined) return undefined;
  const actor = typeof value === 'string' ? decodeActorHeader(value) : null;
  if (!actor) {
    throw new ValidationProblem([{ field: ACTOR_HEADER, message: 'is not an actor encoded by the public edge' }]);
  }
  return actor;
}

/** Controller parameter: the actor who sent the request (see `requestActorOf`), `Actor | undefined`. */
export const RequestActor = createParamDecorator(
  (_data: unknown, context: ExecutionContext): Actor | undefined =>
    requestActorOf(context.switchToHttp().getRequest<Request>().headers),
);
