import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiProblem, asApiProblem } from '../api/api-problem';
import { JobEventStream } from '../api/fetch-event-stream';
import { fleetjobsApi } from '../api/fleetjobs-api.client';
import { Job } from '../api/fleetjobs-api.types';
import { isFinished } from './job-status';

export const POLL_INTERVAL_MS = 2000;
const MAX_MISSES = 15;

/** `stream`: server-sent events; `polling`: every 2 s after the stream failed; `idle`: nothing left to watch. */
export type LiveMode = 'connecting' | 'stream' | 'polling' | 'idle';

export interface LiveJob {
  job: Job | undefined;
  problem: ApiProblem | undefined;
  mode: LiveMode;
  /** Counts the job updates received, so that dependent views can refresh with it. */
  updates: number;
  refresh: () => void;
}

/**
 * A job kept current while it runs: the projection's event stream when the browser and the
 * server allow it, polling otherwise. Watching ends once the job is finished.
 */
export function useLiveJob(id: string): LiveJob {
  const [job, setJob] = useState<Job>();
  const [problem, setProblem] = useState<ApiProblem>();
  const [mode, setMode] = useState<LiveMode>('connecting');
  const [updates, setUpdates] = useState(0);
  const refreshRef = useRef<() => void>(() => undefined);

  useEffect(() => {
    let disposed = false;
    let finished = false;
    let source: JobEventStream | null = null;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let seen = false;
    let misses = 0;

    const accept = (next: Job) => {
      if (disposed || next.id !== id) return;
      seen = true;
      setJob(next);
      setProblem(undefined);
      setUpdates((n) => n + 1);
      if (isFinished(next.status)) finish();
    };
    const finish = () => {
      finished = true;
      source?.close();
      source = null;
      clearTimeout(timer);
      setMode('idle');
    };
    const fetchOnce = async () => {
      try {
        accept(await fleetjobsApi.getJob(id));
      } catch (error) {
        if (disposed) return;
        const failure = asApiProblem(error);
        setProblem(failure);
        // A job just created may not be readable yet; an id that stays unknown is given up on.
        if (failure.status === 404 && !seen && ++misses > MAX_MISSES) finish();
      }
    };
    const poll = async () => {
      await fetchOnce();
      if (!disposed && !finished) timer = setTimeout(poll, POLL_INTERVAL_MS);
    };
    const startPolling = () => {
      if (disposed || finished) return;
      setMode('polling');
      clearTimeout(timer);
      timer = setTimeout(poll, POLL_INTERVAL_MS);
    };
    const startStream = () => {
      if (typeof ReadableStream === 'undefined') return startPolling();
      source = fleetjobsApi.openJobStream(id);
      source.addEventListener('open', () => !disposed && !finished && setMode('stream'));
      source.addEventListener('job', (event) => {
        try {
          accept(JSON.parse(event.data) as Job);
        } catch {
          // An event that is not a job leaves the view as it is; the next one corrects it.
        }
      });
      source.addEventListener('error', () => {
        source?.close();
        source = null;
        startPolling();
      });
    };

    refreshRef.current = () => void fetchOnce();
    setMode('connecting');
    void fetchOnce().then(() => {
      if (!disposed && !finished) startStream();
    });
    return () => {
      disposed = true;
      source?.close();
      clearTimeout(timer);
    };
  }, [id]);

  const refresh = useCallback(() => refreshRef.current(), []);
  return { job, problem, mode, updates, refresh };
}
