import { Controller, Get, Inject } from '@nestjs/common';
import type { Actor } from '@fleetjobs/contracts';
import { ProblemException, RequestActor } from '@fleetjobs/http-kit';
import { AccessConfig, authClientConfig, AuthClientConfig } from '../config/access-config';
import { ACCESS_CONFIG } from './access.tokens';

@Controller('api')
export class MeHttpController {
  constructor(@Inject(ACCESS_CONFIG) private readonly config: AccessConfig) {}

  /** The caller as the public edge authenticated them. */
  @Get('me')
  me(@RequestActor() actor: Actor | undefined): Pick<Actor, 'id' | 'name' | 'role'> {
    // Without an actor the request did not come through the public edge.
    if (!actor) throw new ProblemException(401, 'Unauthorized', 'The request names no caller.', [{ field: 'authorization', message: 'is missing' }]);
    return { id: actor.id, name: actor.name, role: actor.role };
  }

  /** How the dashboard signs in; public. */
  @Get('auth/config')
  authConfig(): AuthClientConfig {
    return authClientConfig(this.config);
  }
}
