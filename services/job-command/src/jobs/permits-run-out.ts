import { JobControlStore, SqlExecutor } from '@fleetjobs/persistence-pg';

/** An answer comes this long after the last permit runs out, so a request sent at its very end has arrived. */
const ARRIVAL_GRACE_MS = 100;

/**
 * Resolves once every permit of the job granted before now has run out: after a halt or a pause
 * has committed, from then on no mutating request of the job can reach the hub.
 */
export async function untilPermitsRunOut(control: JobControlStore, executor: SqlExecutor, jobId: string): Promise<void> {
  for (let waitMs = await control.outstandingPermitMs(executor, jobId); waitMs > 0; ) {
    await new Promise((resolve) => setTimeout(resolve, waitMs + ARRIVAL_GRACE_MS));
    waitMs = await control.outstandingPermitMs(executor, jobId);
  }
}
