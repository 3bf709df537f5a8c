import { Controller, Get } from '@nestjs/common';
import { ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host';
import { Actor } from '@fleetjobs/contracts';
import { ProblemException } from '../problems/problem.exception';
import { encodeActorHeader } from './actor-header';
import { RequestActor, requestActorOf } from './request-actor.decorator';

const actor: Actor = { id: 'token:t-1', name: 'deploy script', role: 'builder' };

@Controller()
class ProbeController {
  @Get()
  probe(@RequestActor() who: Actor | undefined): Actor | undefined {
    return who;
  }
}

/** Runs the decorator's factory as Nest does for a request with these headers. */
function decorated(headers: Record<string, string | string[]>): Actor | undefined {
  const metadata = Reflect.getMetadata(ROUTE_ARGS_METADATA, ProbeController, 'probe') as Record<
    string,
    { factory: (data: unknown, context: ExecutionContextHost) => Actor | undefined; data: unknown }
  >;
  const [{ factory, data }] = Object.values(metadata);
  return factory(data, new ExecutionContextHost([{ headers }, {}, () => undefined]));
}

function refusal(headers: Record<string, string | string[]>): ProblemException {
  try {
    requestActorOf(headers);
  } catch (error) {
    if (error instanceof ProblemException) return error;
    throw error;
  }
  throw new Error('the header was accepted');
}

describe('@RequestActor()', () => {
  it('gives the actor the x-fleetjobs-actor header names', () => {
    expect(decorated({ 'x-fleetjobs-actor': encodeActorHeader(actor) })).toEqual(actor);
  });

  it('gives undefined to a request without the header', () => {
    expect(decorated({ 'content-type': 'application/json' })).toBeUndefined();
  });

  it('refuses a header that is not an encoded actor with a 400 naming it', () => {
    const problem = refusal({ 'x-fleetjobs-actor': 'not-an-actor' });
    expect(problem.getStatus()).toBe(400);
    expect(problem.errors).toEqual([{ field: 'x-fleetjobs-actor', message: 'is not an actor encoded by the public edge' }]);
  });

  it('refuses the header given twice', () => {
    const value = encodeActorHeader(actor);
    expect(refusal({ 'x-fleetjobs-actor': [value, value] }).getStatus()).toBe(400);
  });
});
