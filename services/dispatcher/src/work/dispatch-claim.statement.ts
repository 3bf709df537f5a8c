import { JobOperation } from '@fleetjobs/contracts';
import { queryRows, SqlExecutor } from '@fleetjobs/persistence-pg';
import { DISPATCHER_SCHEMA as S } from '../dispatcher.schema';
import { ClaimedWork } from './dispatch-events';

/** What a claim over plain jobs answers. */
export interface PlainClaim {
  claimed: ClaimedWork[];
  /**
   * A job with a rollout, a rate or maintenance windows has pending devices: nothing was claimed,
   * the claim must decide those jobs' shares first (`DispatchWorkRepository.claim`).
   */
  ruled: boolean;
}

/** A job whose claim takes its fair share of any of its pending devices (`decideRolloutClaim` with nothing to decide). */
const PLAIN = `rollout IS NULL AND windows IS NULL AND rate_per_minute IS NULL`;
const CLAIMABLE = `state = 'active' AND operations IS NOT NULL AND finished_at IS NULL
  AND EXISTS (SELECT 1 FROM ${S}.operations o WHERE o.job_id = ${S}.jobs.job_id AND o.status = 'pending'
                AND (o.retry_at IS NULL OR o.retry_at <= now()))`;

/**
 * Claims up to `limit` pending devices shared fairly across the active jobs, in one statement
 * (autocommit, no transaction around it), when every such job is plain. The jobs' rows are held
 * for share until it commits, as in the claim's transaction: a halt waits for it, and it claims
 * nothing of a job halted before.
 */
export async function claimPlainWork(executor: SqlExecutor, workerId: string, limit: number): Promise<PlainClaim> {
  const rows = await queryRows<{ job_id: string | null; device_id: string | null; redrive: boolean | null; attempts: number | null; operations: JobOperation[] | null; ruled: boolean }>(
    executor,
    `WITH plain AS (
       SELECT job_id, operations FROM ${S}.jobs
       WHERE ${CLAIMABLE} AND ${PLAIN}
       ORDER BY random() LIMIT 64
       FOR SHARE
     ), ruled AS (
       SELECT EXISTS (SELECT 1 FROM ${S}.jobs WHERE ${CLAIMABLE} AND NOT (${PLAIN})) AS seen
     ), shares AS (
       SELECT job_id, operations, ceil($2::double precision / count(*) OVER ())::int AS share
       FROM plain WHERE NOT (SELECT seen FROM ruled)
     ), picked AS (
       SELECT o.job_id, o.device_id
       FROM shares a CROSS JOIN LATERAL (
         SELECT job_id, device_id FROM ${S}.operations
         WHERE job_id = a.job_id AND status = 'pending' AND (retry_at IS NULL OR retry_at <= now())
         ORDER BY device_id LIMIT a.share
         FOR UPDATE SKIP LOCKED
       ) o
       LIMIT $2
     ), claimed AS (
       UPDATE ${S}.operations o SET status = 'in_flight', worker_id = $1, claimed_at = now(), retry_at = NULL
       FROM picked p WHERE o.job_id = p.job_id AND o.device_id = p.device_id
       RETURNING o.job_id, o.device_id, o.redrive, o.attempts
     )
     SELECT c.job_id, c.device_id, c.redrive, c.attempts, a.operations, false AS ruled
     FROM claimed c JOIN shares a ON a.job_id = c.job_id
     UNION ALL
     SELECT NULL, NULL, NULL, NULL, NULL, true FROM ruled WHERE seen`,
    [workerId, limit],
  );
  return {
    ruled: rows.some((row) => row.ruled),
    claimed: rows
      .filter((row) => !row.ruled)
      .map((row) => ({ jobId: row.job_id!, deviceId: row.device_id!, operations: row.operations ?? [], redrive: row.redrive!, attempts: row.attempts! })),
  };
}
