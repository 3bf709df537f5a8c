import { Inject, Injectable } from '@nestjs/common';
import { TOPICS } from '@fleetjobs/contracts';
import { queryRows, SqlExecutor, UNIT_OF_WORK, UnitOfWork } from '@fleetjobs/persistence-pg';
import { DATA_SOURCE } from '@fleetjobs/runtime';
import { DataSource } from 'typeorm';
import { DISPATCHER_SCHEMA as S } from '../dispatcher.schema';
import { dispatchFinishedEnvelope } from './dispatch-events';
import { decideDispatchFinish } from './dispatch-finish.decider';
import { countRolloutOutcomes, ORPHAN_ERROR, outcomeEnvelopes } from './dispatch-outcomes.repository';

/** What became of the claims of workers that are gone. */
export interface OrphanSweep {
  /** Jobs with devices handed back to pending (never sent, or safe to re-drive). */
  requeued: string[];
  /** Jobs with commands concluded as "outcome unknown". */
  concluded: string[];
}

/** Workers' heartbeats, claims of workers that died, and finishing jobs. */
@Injectable()
export class DispatchHousekeepingRepository {
  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    @Inject(UNIT_OF_WORK) private readonly uow: UnitOfWork,
  ) {}

  async heartbeat(workerId: string): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO ${S}.workers (worker_id, heartbeat_at) VALUES ($1, now())
       ON CONFLICT (worker_id) DO UPDATE SET heartbeat_at = now()`,
      [workerId],
    );
  }

  async forgetWorker(workerId: string): Promise<void> {
    await this.dataSource.query(`DELETE FROM ${S}.workers WHERE worker_id = $1`, [workerId]);
  }

  /**
   * Claims of workers not heard of for `orphanAfterMs`: what provably sent nothing goes back to
   * pending; properties and settings that may have been sent go back to pending to be re-driven
   * from the twin; a command that may have been sent is concluded as "outcome unknown", never
   * sent again.
   */
  async concludeOrphans(currentWorkerId: string, orphanAfterMs: number): Promise<OrphanSweep> {
    return this.uow.run(async (tx) => {
      const rows = await queryRows<{ job_id: string; device_id: string; status: string; error: string | null }>(
        tx.manager,
        `WITH orphans AS (
           SELECT o.job_id, o.device_id,
             o.sent_at IS NOT NULL AND coalesce(j.operations @> '[{"type":"command"}]'::jsonb, true) AS unknown,
             o.sent_at IS NOT NULL AS sent
           FROM ${S}.operations o JOIN ${S}.jobs j ON j.job_id = o.job_id
           WHERE o.status = 'in_flight' AND o.worker_id <> $1
             AND NOT EXISTS (
               SELECT 1 FROM ${S}.workers w
               WHERE w.worker_id = o.worker_id AND w.heartbeat_at > now() - make_interval(secs => $2::double precision / 1000)
             )
           FOR UPDATE OF o SKIP LOCKED
         )
         UPDATE ${S}.operations o SET
           status = CASE WHEN orphans.unknown THEN 'failed' ELSE 'pending' END,
           error = CASE WHEN orphans.unknown THEN $3 ELSE NULL END,
           failure_kind = CASE WHEN orphans.unknown THEN 'hub' ELSE NULL END,
           done_at = CASE WHEN orphans.unknown THEN now() ELSE NULL END,
           worker_id = CASE WHEN orphans.unknown THEN o.worker_id ELSE NULL END,
           claimed_at = CASE WHEN orphans.unknown THEN o.claimed_at ELSE NULL END,
           redrive = o.redrive OR orphans.sent
         FROM orphans WHERE o.job_id = orphans.job_id AND o.device_id = orphans.device_id
         RETURNING o.job_id, o.device_id, o.status, o.error`,
        [currentWorkerId, orphanAfterMs, ORPHAN_ERROR],
      );
      const unknown = rows.filter((row) => row.status === 'failed');
      await countRolloutOutcomes(tx.manager, unknown.map((row) => ({ ...row, failure_kind: 'hub' })));
      await tx.publish(TOPICS.jobs, outcomeEnvelopes(unknown));
      await tx.manager.query(
        `DELETE FROM ${S}.workers WHERE heartbeat_at < now() - make_interval(secs => $1::double precision / 1000 * 4)`,
        [orphanAfterMs],
      );
      return {
        requeued: [...new Set(rows.filter((row) => row.status === 'pending').map((row) => row.job_id))],
        concluded: [...new Set(unknown.map((row) => row.job_id))],
      };
    });
  }

  /**
   * Finishes the jobs (all unfinished ones when `jobIds` is null) whose dispatch is over
   * (`decideDispatchFinish`) and publishes `JobDispatchFinished` once for each; answers their ids.
   */
  async finishJobs(jobIds: string[] | null): Promise<string[]> {
    // Runs after every batch of outcomes: a probe without locks first, so that a large job in
    // progress costs one statement; the decision is taken again on the locked rows.
    const probed = await this.finishable(this.dataSource, jobIds, false);
    if (probed.length === 0) return [];
    return this.uow.run(async (tx) => {
      const finishing = await this.finishable(tx.manager, probed, true);
      if (finishing.length === 0) return [];
      const finished = await queryRows<{ job_id: string; completed: string; failed: string; pending: string; abort_reason: string | null }>(
        tx.manager,
        `WITH counts AS (
           SELECT j.job_id,
             count(o.device_id) FILTER (WHERE o.status = 'completed') AS completed,
             count(o.device_id) FILTER (WHERE o.status = 'failed') AS failed,
             count(o.device_id) FILTER (WHERE o.status = 'pending') AS pending
           FROM unnest($1::text[]) AS j(job_id) LEFT JOIN ${S}.operations o ON o.job_id = j.job_id
           GROUP BY j.job_id
         )
         UPDATE ${S}.jobs j SET finished_at = now(), state = CASE WHEN j.state = 'halted' THEN 'halted' ELSE 'finished' END
         FROM counts WHERE j.job_id = counts.job_id
         RETURNING j.job_id, counts.completed, counts.failed, counts.pending, j.abort_reason`,
        [finishing],
      );
      const now = new Date().toISOString();
      await tx.publish(
        TOPICS.jobs,
        finished.map((row) =>
          dispatchFinishedEnvelope(
            row.job_id,
            { completed: Number(row.completed), failed: Number(row.failed), notStarted: Number(row.pending) },
            now,
            row.abort_reason,
          ),
        ),
      );
      return finished.map((row) => row.job_id);
    });
  }

  /** The jobs among `jobIds` (every unfinished one when null) whose dispatch is over (`decideDispatchFinish`). */
  private async finishable(executor: SqlExecutor, jobIds: string[] | null, lock: boolean): Promise<string[]> {
    // Each probe stops at the first matching row, so a large job in progress costs a few index
    // lookups; rows are counted only once it is done.
    const candidates = await queryRows<{
      job_id: string;
      defined: boolean;
      targets_complete: boolean;
      halted: boolean;
      paused: boolean;
      in_flight: boolean;
      pending: boolean;
    }>(
      executor,
      `SELECT j.job_id, j.operations IS NOT NULL AS defined, j.targets_complete, j.state = 'halted' AS halted, j.state = 'paused' AS paused,
         EXISTS (SELECT 1 FROM ${S}.operations o WHERE o.job_id = j.job_id AND o.status = 'in_flight') AS in_flight,
         -- In the pending index's order: an EXISTS here may read every device done before the first pending (see hasReadyDevice).
         (SELECT o.device_id FROM ${S}.operations o WHERE o.job_id = j.job_id AND o.status = 'pending' ORDER BY o.device_id LIMIT 1) IS NOT NULL AS pending
       FROM ${S}.jobs j
       WHERE j.finished_at IS NULL AND j.targets_complete AND ($1::text[] IS NULL OR j.job_id = ANY($1::text[]))
       ${lock ? 'FOR UPDATE SKIP LOCKED' : ''}`,
      [jobIds],
    );
    return candidates
      .filter(
        (row) =>
          decideDispatchFinish({
            defined: row.defined,
            targetsComplete: row.targets_complete,
            halted: row.halted,
            paused: row.paused,
            inFlight: row.in_flight ? 1 : 0,
            pending: row.pending ? 1 : 0,
          }).finished,
      )
      .map((row) => row.job_id);
  }
}
