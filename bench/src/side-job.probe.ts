import { BenchOperation } from './bench-operation';

type Api = (method: string, path: string, body?: unknown) => Promise<any>;

/** Devices of the side job, of a template of their own so the big job's device set leaves them out. */
export const SIDE_JOB = {
  template: 'bench-side',
  deviceSet: 'bench-side',
  deviceIds: ['bench-side-0', 'bench-side-1', 'bench-side-2'],
  deviceSetBody: { displayName: 'Bench side fleet', conditions: [{ field: 'template', operator: 'eq', value: 'bench-side' }] },
} as const;

export interface SideJobResult {
  /** Completed devices of the big job when the side job was created. */
  startedAtCompleted: number;
  seconds: number;
  status: string;
}

/**
 * A 3-device job created while the big job runs: how long until the API shows it ended, polled
 * every 100 ms. It tells whether a small job waits behind a large one.
 */
export async function runSideJob(api: Api, jobId: string, operation: BenchOperation, startedAtCompleted: number): Promise<SideJobResult> {
  const started = Date.now();
  await api('PUT', `/api/jobs/${jobId}`, { displayName: 'Bench side job', deviceSet: SIDE_JOB.deviceSet, operations: [operation] });
  for (;;) {
    const job = await api('GET', `/api/jobs/${jobId}`);
    if (job.status !== 'pending' && job.status !== 'running' && job.counts.pending === 0) {
      return { startedAtCompleted, seconds: (Date.now() - started) / 1000, status: job.status };
    }
    if (Date.now() - started > 600_000) return { startedAtCompleted, seconds: NaN, status: `still ${job.status} after 600 s` };
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
