import { Inject, Injectable, Logger } from '@nestjs/common';
import {
  asyncScheduler,
  catchError,
  concat,
  concatMap,
  distinctUntilChanged,
  EMPTY,
  finalize,
  from,
  interval,
  merge,
  Observable,
  of,
  share,
  takeWhile,
  throttleTime,
} from 'rxjs';
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

/** Re-reads of a job are at most this frequent, however many batches touch it. */
const MIN_REREAD_MS = 200;

/**
 * The successive states of one job: the first one given, then each different state read after a
 * batch of this process changed the job or after a poll; completes after a terminal status
 * (or once the job is gone). The streams of one job share its re-reads: however many dashboards
 * watch a job, a change is read once.
 */
@Injectable()
export class JobUpdatesStream {
  private readonly logger = new Logger(JobUpdatesStream.name);
  private readonly rereads = new Map<string, Observable<JobView | null>>();

  constructor(
    private readonly views: JobViewsQuery,
    private readonly notifier: JobChangeNotifier,
    @Inject(JOB_STREAM_TIMINGS) private readonly timings: JobStreamTimings,
  ) {}

  watch(first: JobView): Observable<JobView> {
    return concat(of(first), this.rereadsOf(first.id)).pipe(
      takeWhile((view): view is JobView => view !== null),
      distinctUntilChanged((a, b) => JSON.stringify(a) === JSON.stringify(b)),
      takeWhile((view) => !isTerminal(view.status), true),
    );
  }

  /** The job's re-reads while any stream of it is open, started by the first one. */
  private rereadsOf(jobId: string): Observable<JobView | null> {
    let rereads = this.rereads.get(jobId);
    if (!rereads) {
      rereads = merge(this.notifier.changesOf(jobId), interval(this.timings.pollMs)).pipe(
        throttleTime(MIN_REREAD_MS, asyncScheduler, { leading: true, trailing: true }),
        concatMap(() =>
          from(this.views.getJob(jobId)).pipe(
            catchError((error: unknown) => {
              this.logger.warn(`re-reading job ${jobId} failed: ${String(error)}`);
              return EMPTY;
            }),
          ),
        ),
        finalize(() => this.rereads.delete(jobId)),
        share(),
      );
      this.rereads.set(jobId, rereads);
    }
    return rereads;
  }
}
