import { BeforeApplicationShutdown, Controller, Get, Inject, Param, Res } from '@nestjs/common';
import { IdPipe, NotFoundProblem } from '@fleetjobs/http-kit';
import type { Response } from 'express';
import type { Subscription } from 'rxjs';
import { openJobStreams } from '../projection.metrics';
import { JOB_STREAM_TIMINGS, JobStreamTimings, JobUpdatesStream } from './job-updates.stream';
import { JobViewsQuery } from './job-views.query';

/**
 * `GET /api/jobs/{id}/stream`: Server-Sent Events. `event: job` carries the same JSON as
 * `GET /api/jobs/{id}`, at once and on every change; a `: heartbeat` comment keeps idle
 * connections open; the stream ends after a terminal status has been sent.
 */
@Controller('api/jobs')
export class JobStreamHttpController implements BeforeApplicationShutdown {
  private readonly closers = new Set<() => void>();

  constructor(
    private readonly views: JobViewsQuery,
    private readonly updates: JobUpdatesStream,
    @Inject(JOB_STREAM_TIMINGS) private readonly timings: JobStreamTimings,
  ) {}

  /** Streams currently open in this process. */
  get openStreams(): number {
    return this.closers.size;
  }

  /** Ends open streams so that the HTTP server can close. */
  beforeApplicationShutdown(): void {
    for (const close of [...this.closers]) close();
  }

  @Get(':id/stream')
  async stream(@Param('id', IdPipe) id: string, @Res() response: Response): Promise<void> {
    const first = await this.views.getJob(id);
    if (!first) throw new NotFoundProblem('Job', id);

    response.status(200).set({
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-cache, no-transform',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
    });
    response.flushHeaders();
    openJobStreams.inc();

    let closed = false;
    let subscription: Subscription | undefined;
    const heartbeat = setInterval(() => response.write(': heartbeat\n\n'), this.timings.heartbeatMs);
    const close = () => {
      if (closed) return;
      closed = true;
      clearInterval(heartbeat);
      subscription?.unsubscribe();
      this.closers.delete(close);
      openJobStreams.dec();
      response.end();
    };
    this.closers.add(close);
    response.on('close', close);
    subscription = this.updates.watch(first).subscribe({
      next: (view) => response.write(`event: job\ndata: ${JSON.stringify(view)}\n\n`),
      complete: close,
      error: close,
    });
    // The stream may have completed while subscribing (a job already ended).
    if (closed) subscription.unsubscribe();
  }
}
