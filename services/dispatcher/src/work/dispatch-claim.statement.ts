import { JobOperation } from '@fleetjobs/contracts';
import { queryPrepared, SqlExecutor } from '@fleetjobs/persistence-pg';
import { DISPATCHER_SCHEMA as S } from '../dispatcher.schema';
import { ClaimCursor } from './claim-cursors';
import { ClaimedWork } from './dispatch-events';

/** What a claim over plain jobs answers. */
export interface PlainClaim {
  claimed: ClaimedWork[];
  /**
   * A job with a rollout, a rate or maintenance windows has pending devices: nothing was claimed,
   * the claim must decide those jobs' shares first (`DispatchClaimRepository.claim`).
   */
  ruled: boolean;
  /** Each claimed job's last device claimed, in the database's order: where its next claim looks first. */
  cursors: ClaimCursor[];
}

/** A job whose claim takes its fair share of any of its pending devices (`decideRolloutClaim` with nothing to decide). */
const PLAIN = `rollout IS NULL AND windows IS NULL AND rate_per_minute IS NULL`;

/**
 * Whether `job` has a pending device ready now (`condition` on its row `o` too). Not an EXISTS:
 * the planner answers one with a sequential scan when many of the table's rows are pending,
 * expecting them spread evenly, while a job's devices are done in order, so that scan read every
 * device done before the first one pending, on every claim. The first ready device in the pending
 * index's order is found in that index instead.
 */
export function hasReadyDevice(job: string, condition = 'true'): string {
  return `(SELECT o.device_id FROM ${S}.operations o
           WHERE o.job_id = ${job} AND o.status = 'pending' AND (o.retry_at IS NULL OR o.retry_at <= now()) AND ${condition}
           ORDER BY o.device_id LIMIT 1) IS NOT NULL`;
}

const CLAIMABLE = `state = 'active' AND operations IS NOT NULL AND finished_at IS NULL AND ${hasReadyDevice(`${S}.jobs.job_id`)}`;

/** `job`'s cursor among those passed as the parameters `$<ids>` (job ids) and `$<afters>` (cursors), '' for none. */
export function cursorOf(job: string, ids: number, afters: number): string {
  return `coalesce((SELECT c.after FROM unnest($${ids}::text[], $${afters}::text[]) AS c(job_id, after) WHERE c.job_id = ${job}), '')`;
}

/** Whether `job` has a pending device ready now, looked for after its cursor `after` first (see `ClaimCursors`). */
export function readyAfterCursor(job: string, after: string): string {
  return `(${hasReadyDevice(job, `o.device_id > ${after}`)} OR ${hasReadyDevice(job)})`;
}

const AFTER = cursorOf(`${S}.jobs.job_id`, 3, 4);
const CLAIMABLE_AFTER_CURSOR = `state = 'active' AND operations IS NOT NULL AND finished_at IS NULL AND ${readyAfterCursor(`${S}.jobs.job_id`, AFTER)}`;

/**
 * Claims up to `limit` pending devices shared fairly across the active jobs, in one statement
 * (autocommit, no transaction around it), when every such job is plain. The jobs' rows are held
 * for share until it commits, as in the claim's transaction: a halt waits for it, and it claims
 * nothing of a job halted before. A job's devices after its cursor (`cursors`) are taken first,
 * then those before it.
 */
export async function claimPlainWork(executor: SqlExecutor, workerId: string, limit: number, cursors: readonly ClaimCursor[] = []): Promise<PlainClaim> {
  const rows = await queryPrepared<{
    job_id: string | null;
    device_id: string | null;
    redrive: boolean | null;
    attempts: number | null;
    operations: JobOperation[] | null;
    last: string | null;
    ruled: boolean;
  }>(
    executor,
    `WITH plain AS (
       SELECT job_id, operations, ${AFTER} AS after FROM ${S}.jobs
       WHERE ${PLAIN} AND ${CLAIMABLE_AFTER_CURSOR}
       ORDER BY random() LIMIT 64
       FOR SHARE
     ), ruled AS (
       SELECT EXISTS (SELECT 1 FROM ${S}.jobs WHERE ${CLAIMABLE} AND NOT (${PLAIN})) AS seen
     ), shares AS (
       SELECT job_id, operations, after, ceil($2::double precision / count(*) OVER ())::int AS share
       FROM plain WHERE NOT (SELECT seen FROM ruled)
     ), picked AS (
       SELECT o.job_id, o.device_id
       FROM shares a CROSS JOIN LATERAL (
         SELECT * FROM (
           SELECT job_id, device_id FROM ${S}.operations
           WHERE job_id = a.job_id AND status = 'pending' AND (retry_at IS NULL OR retry_at <= now()) AND device_id > a.after
           ORDER BY device_id LIMIT a.share
           FOR UPDATE SKIP LOCKED
         ) ahead
         UNION ALL
         SELECT * FROM (
           SELECT job_id, device_id FROM ${S}.operations
           WHERE job_id = a.job_id AND status = 'pending' AND (retry_at IS NULL OR retry_at <= now()) AND device_id <= a.after
           ORDER BY device_id LIMIT a.share
           FOR UPDATE SKIP LOCKED
         ) behind
         LIMIT a.share
       ) o
       -- A subquery, so that a plan made for one limit is as good as one made for another:
       -- PostgreSQL then keeps the statement's generic plan instead of planning each claim anew.
       LIMIT (SELECT $2::int)
     ), claimed AS (
       UPDATE ${S}.operations o SET status = 'in_flight', worker_id = $1, claimed_at = now(), retry_at = NULL
       FROM picked p WHERE o.job_id = p.job_id AND o.device_id = p.device_id
       RETURNING o.job_id, o.device_id, o.redrive, o.attempts
     )
     SELECT c.job_id, c.device_id, c.redrive, c.attempts, a.operations, max(c.device_id) OVER (PARTITION BY c.job_id) AS last, false AS ruled
     FROM claimed c JOIN shares a ON a.job_id = c.job_id
     UNION ALL
     SELECT NULL, NULL, NULL, NULL, NULL, NULL, true FROM ruled WHERE seen`,
    [workerId, limit, cursors.map((cursor) => cursor.jobId), cursors.map((cursor) => cursor.after)],
  );
  const lasts = new Map(rows.filter((row) => !row.ruled).map((row) => [row.job_id!, row.last!]));
  return {
    ruled: rows.some((row) => row.ruled),
    cursors: [...lasts].map(([jobId, after]) => ({ jobId, after })),
    claimed: rows
      .filter((row) => !row.ruled)
      .map((row) => ({ jobId: row.job_id!, deviceId: row.device_id!, operations: row.operations ?? [], redrive: row.redrive!, attempts: row.attempts! })),
  };
}
