import { Controller, HttpCode, Inject, Param, Post } from '@nestjs/common';
import { DISPATCHER_CONFIG, DispatcherConfig } from '../dispatcher.config';
import { IdPipe } from '@fleetjobs/http-kit';
import { DispatchWorkRepository } from '../work/dispatch-work.repository';

/** Internal: job-command calls it before recording a stop. */
@Controller('internal/jobs')
export class HaltJobHttpController {
  constructor(
    private readonly work: DispatchWorkRepository,
    @Inject(DISPATCHER_CONFIG) private readonly config: DispatcherConfig,
  ) {}

  /**
   * Answers once the halt is committed (from then on no claim of the job's devices can commit)
   * and every earlier claim has sent its request.
   */
  @Post(':id/halt')
  @HttpCode(200)
  async halt(@Param('id', IdPipe) id: string): Promise<{ jobId: string; halted: true }> {
    await this.work.haltNow(id, this.config.orphanAfterMs + 2 * this.config.heartbeatMs);
    return { jobId: id, halted: true };
  }
}
