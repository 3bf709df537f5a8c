import { Inject, Injectable, Logger } from '@nestjs/common';
import { asyncScheduler, catchError, concat, concatMap, distinctUntilChanged, EMPTY, from, interval, merge, Observable, of, takeWhile, throttleTime } from 'rxjs';
import { JobChangeNotifier } from '../jobs/job-change.notifier';
import { isTerminal } from '../jobs/job.projection';
import { JobView } from './job.view';
import { JobViewsQuery } from './job-views.query';

/** DI token of the live stream's timings. */
export const JOB_STREAM_TIMINGS = Symbol('JOB_STREAM_TIMINGS');

export interface JobStreamTimings {
  /** How often each open stream re-reads its job, for changes written by another replica. */
  pollMs: number;
  /** How often an idle stream sends a comment, so proxies keep the connection open. */
  heartbeatMs: number;
}

export const DEFAULT_JOB_STREAM_TIMINGS: JobStreamTimings = { pollMs: 2000, heartbeatMs: 15_000 };

/** Re-reads are at most this frequent per stream, however many batches touch the job. */
const MIN_REREAD_MS = 200;

/**
 * The successive states of one job: the first one given, then each different state read after a
 * batch of this process changed the job or after a poll; completes after a terminal status
 * (or once the job is gone).
 */
@Injectable()
export class JobUpdatesStream {
  private readonly logger = new Logger(JobUpdatesStream.name);

  constructor(
    private readonly views: JobViewsQuery,
    private readonly notifier: JobChangeNotifier,
    @Inject(JOB_STREAM_TIMINGS) private readonly timings: JobStreamTimings,
  ) {}

  watch(first: JobView): Observable<JobView> {
    const rereads = merge(this.notifier.changesOf(first.id), interval(this.timings.pollMs)).pipe(
      throttleTime(MIN_REREAD_MS, asyncScheduler, { leading: true, trailing: true }),
      concatMap(() =>
        from(this.views.getJob(first.id)).pipe(
          catchError((error: unknown) => {
            this.logger.warn(`re-reading job ${first.id} failed: ${String(error)}`);
            return EMPTY;
          }),
        ),
      ),
    );
    return concat(of(first), rereads).pipe(
      takeWhile((view): view is JobView => view !== null),
      distinctUntilChanged((a, b) => JSON.stringify(a) === JSON.stringify(b)),
      takeWhile((view) => !isTerminal(view.status), true),
    );
  }
}
