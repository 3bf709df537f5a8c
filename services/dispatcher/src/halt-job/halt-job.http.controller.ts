import { Controller, HttpCode, Param, Post } from '@nestjs/common';
import { IdPipe } from '@fleetjobs/http-kit';
import { DispatchWorkRepository } from '../work/dispatch-work.repository';

/** Internal: job-command calls it before recording a stop. */
@Controller('internal/jobs')
export class HaltJobHttpController {
  constructor(private readonly work: DispatchWorkRepository) {}

  /** Answers once the halt is committed: from then on no claim of the job's devices can commit. */
  @Post(':id/halt')
  @HttpCode(200)
  async halt(@Param('id', IdPipe) id: string): Promise<{ jobId: string; halted: true }> {
    await this.work.haltNow(id);
    return { jobId: id, halted: true };
  }
}
