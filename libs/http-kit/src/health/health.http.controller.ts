import { Controller, Get, HttpStatus, Res } from '@nestjs/common';
import type { Response } from 'express';
import { LivenessRegistry } from './liveness.registry';
import { ReadinessRegistry } from './readiness.registry';

/**
 * Liveness: the process answers and none of its loops (consumers, outbox relay) has died.
 * Readiness: every registered dependency answers too.
 */
@Controller('health')
export class HealthHttpController {
  constructor(
    private readonly readiness: ReadinessRegistry,
    private readonly liveness: LivenessRegistry,
  ) {}

  @Get('live')
  async live(@Res() response: Response): Promise<void> {
    const result = await this.liveness.evaluate();
    response
      .status(result.ok ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE)
      .json({ status: result.ok ? 'ok' : 'dead', checks: result.checks });
  }

  @Get('ready')
  async ready(@Res() response: Response): Promise<void> {
    const result = await this.readiness.evaluate();
    response
      .status(result.ok ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE)
      .json({ status: result.ok ? 'ok' : 'unavailable', checks: result.checks });
  }
}
