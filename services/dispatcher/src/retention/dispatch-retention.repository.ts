import { Inject, Injectable } from '@nestjs/common';
import { queryRows, SqlExecutor } from '@fleetjobs/persistence-pg';
import { DATA_SOURCE } from '@fleetjobs/runtime';
import { DataSource } from 'typeorm';
import { DISPATCHER_SCHEMA as S } from '../dispatcher.schema';
import { decideDispatchRetention } from './dispatch-retention.decider';

/** Rows of one table one transaction deletes: a job of a million devices is dropped in many small steps. */
export const ROWS_PER_ROUND = 2000;

/** Jobs one transaction looks at, at most: most ended jobs have few rows, or none left. */
const JOBS_PER_ROUND = 100;

/** Where a sweep stands: past the job that ended at `endedAt` (as PostgreSQL prints it) with this id. */
interface Cursor {
  endedAt: string;
  jobId: string;
}

/** What one sweep dropped. */
export interface RetentionSweep {
  /** Jobs whose rows it dropped, to the last. */
  jobs: number;
  /** Work rows and previous values it dropped. */
  rows: number;
}

/** SQL: when the job row `j` ended (its dispatch finished, or a sweep saw it halted); NULL while it has not. */
const ENDED_AT = 'coalesce(j.finished_at, j.halt_seen_at)';

interface Candidate {
  job_id: string;
  /** Its end as PostgreSQL prints it: exact to the microsecond, which a Date is not. */
  ended_at: string;
  finished_at: Date | null;
  halt_seen_at: Date | null;
  in_flight: boolean;
  revert_under_way: boolean;
  now: Date;
}

/**
 * Drops the work rows and previous values of jobs that ended more than the retention ago
 * (`decideDispatchRetention`). The job's own row stays, marked `rows_dropped_at`: it keeps a late
 * or replayed event of the job from making it claimable again, and the sweeps from reading it
 * again. Each transaction locks one job's row (SKIP LOCKED, so replicas sweeping at once take
 * different jobs) and deletes at most `rowsPerRound` rows of each table.
 */
@Injectable()
export class DispatchRetentionRepository {
  constructor(@Inject(DATA_SOURCE) private readonly dataSource: DataSource) {}

  async dropEnded(retentionDays: number, rowsPerRound = ROWS_PER_ROUND): Promise<RetentionSweep> {
    await this.noteHalts();
    const swept: RetentionSweep = { jobs: 0, rows: 0 };
    // Jobs are visited once per sweep, in the order they ended: those kept or emptied stay behind the cursor.
    let after: Cursor | null = null;
    for (;;) {
      const round = await this.dataSource.transaction((tx) => this.dropSome(tx, retentionDays, rowsPerRound, after));
      if (!round) return swept;
      swept.rows += round.rows;
      swept.jobs += round.dropped;
      after = round.after ?? after;
    }
  }

  /**
   * One round: the next ended jobs, in order, each kept or emptied until `rowsPerRound` rows are
   * deleted; answers null when there is none, else the cursor past the jobs it is done with.
   */
  private async dropSome(tx: SqlExecutor, retentionDays: number, rowsPerRound: number, after: Cursor | null) {
    const jobs = await this.nextCandidates(tx, retentionDays, after);
    if (jobs.length === 0) return null;
    let budget = rowsPerRound;
    let past: Cursor | null = null;
    const emptied: string[] = [];
    for (const job of jobs) {
      const { drop } = decideDispatchRetention({
        finishedAt: job.finished_at?.toISOString() ?? null,
        haltedAt: job.halt_seen_at?.toISOString() ?? null,
        inFlight: job.in_flight,
        revertUnderWay: job.revert_under_way,
        now: job.now.toISOString(),
        retentionDays,
      });
      if (drop) {
        budget -= await deleteSome(tx, `${S}.previous_values`, 'job_id, device_id, kind, name', job.job_id, budget);
        if (budget > 0) budget -= await deleteSome(tx, `${S}.operations`, 'job_id, device_id', job.job_id, budget);
        // A job whose deletes used up the round may have rows left: the next round starts with it.
        if (budget === 0) break;
        emptied.push(job.job_id);
      }
      past = { endedAt: job.ended_at, jobId: job.job_id };
    }
    if (emptied.length > 0) await tx.query(`UPDATE ${S}.jobs SET rows_dropped_at = now() WHERE job_id = ANY($1::text[])`, [emptied]);
    return { rows: rowsPerRound - budget, dropped: emptied.length, after: past };
  }

  /**
   * Marks when halted jobs that never finished were first seen so: a job stopped before any target
   * arrived has no finish to be judged by. Rows another sweep holds are left to it.
   */
  private async noteHalts(): Promise<void> {
    await this.dataSource.query(
      `UPDATE ${S}.jobs SET halt_seen_at = now()
        WHERE job_id IN (
          SELECT job_id FROM ${S}.jobs WHERE state = 'halted' AND finished_at IS NULL AND halt_seen_at IS NULL
          FOR UPDATE SKIP LOCKED
        )`,
    );
  }

  /** The next ended jobs past the cursor whose rows are not dropped yet, locked; those another sweep holds are skipped. */
  private nextCandidates(tx: SqlExecutor, retentionDays: number, after: Cursor | null): Promise<Candidate[]> {
    return queryRows<Candidate>(
      tx,
      `SELECT j.job_id, ${ENDED_AT}::text AS ended_at, j.finished_at, j.halt_seen_at, now() AS now,
         EXISTS (SELECT 1 FROM ${S}.operations o WHERE o.job_id = j.job_id AND o.status = 'in_flight') AS in_flight,
         EXISTS (
           SELECT 1 FROM ${S}.reverts r JOIN ${S}.jobs rj ON rj.job_id = r.job_id
           WHERE r.revert_of = j.job_id AND rj.finished_at IS NULL
             AND (rj.state <> 'halted' OR EXISTS (SELECT 1 FROM ${S}.operations ro WHERE ro.job_id = rj.job_id AND ro.status = 'in_flight'))
         ) AS revert_under_way
       FROM ${S}.jobs j
       WHERE ${ENDED_AT} < now() - make_interval(days => $1::int) AND j.rows_dropped_at IS NULL
         AND ($2::timestamptz IS NULL OR (${ENDED_AT}, j.job_id) > ($2::timestamptz, $3::text))
       ORDER BY ${ENDED_AT}, j.job_id
       LIMIT $4
       FOR UPDATE OF j SKIP LOCKED`,
      [retentionDays, after?.endedAt ?? null, after?.jobId ?? null, JOBS_PER_ROUND],
    );
  }
}

/** Deletes at most `limit` rows of `jobId` from `table` (keyed by `key`); answers how many. */
async function deleteSome(tx: SqlExecutor, table: string, key: string, jobId: string, limit: number): Promise<number> {
  const [{ deleted }] = await queryRows<{ deleted: number }>(
    tx,
    `WITH gone AS (
       DELETE FROM ${table} WHERE (${key}) IN (SELECT ${key} FROM ${table} WHERE job_id = $1 LIMIT $2)
       RETURNING 1
     )
     SELECT count(*)::int AS deleted FROM gone`,
    [jobId, limit],
  );
  return deleted;
}
