import { Injectable } from '@nestjs/common';
import { deviceTimeZone, JobOperation, MaintenanceWindow, Rollout } from '@fleetjobs/contracts';
import { SqlExecutor } from '@fleetjobs/persistence-pg';
import { normalizeRollout } from '@fleetjobs/rollout';
import { DISPATCHER_SCHEMA as S } from '../dispatcher.schema';
import { startRatePerMinute } from '../rollout/rollout-claim.decider';
import { addJobTimeZones, BY_DEVICE_ZONE } from '../windows/device-zones.store';

/** Devices per targets chunk (device-set's `JobTargetsResolved`): chunk n starts at index n × this. */
export const TARGETS_CHUNK_SIZE = 500;

/**
 * A job's rows in the work table every dispatcher process shares: its definition, its targets
 * and its state. A halt's lock orders it after claims in progress, and no claim commits for a
 * halted job.
 */
@Injectable()
export class DispatchIntakeRepository {
  /** `windows`: the job's maintenance windows; its devices are claimed only inside one. */
  async registerJob(tx: SqlExecutor, jobId: string, operations: JobOperation[], rollout?: Rollout, windows?: MaintenanceWindow[]): Promise<void> {
    const windowsJson = windows && windows.length > 0 ? JSON.stringify(windows) : null;
    if (!rollout) {
      await tx.query(
        `INSERT INTO ${S}.jobs (job_id, operations, windows) VALUES ($1, $2::jsonb, $3::jsonb)
         ON CONFLICT (job_id) DO UPDATE SET operations = EXCLUDED.operations, windows = EXCLUDED.windows WHERE ${S}.jobs.operations IS NULL`,
        [jobId, JSON.stringify(operations), windowsJson],
      );
      return;
    }
    await tx.query(
      `INSERT INTO ${S}.jobs (job_id, operations, rollout, rate_per_minute, windows) VALUES ($1, $2::jsonb, $3::jsonb, $4, $5::jsonb)
       ON CONFLICT (job_id) DO UPDATE SET operations = EXCLUDED.operations, rollout = EXCLUDED.rollout,
         rate_per_minute = EXCLUDED.rate_per_minute, windows = EXCLUDED.windows
       WHERE ${S}.jobs.operations IS NULL`,
      [jobId, JSON.stringify(operations), JSON.stringify(rollout), startRatePerMinute(normalizeRollout(rollout)), windowsJson],
    );
  }

  /**
   * `chunk`: the number of the targets' chunk, which gives each device its index in the job.
   * `timeZoneTags`: each device's `timezone` tag, if any; kept only for a job with `device` windows.
   */
  async addTargets(tx: SqlExecutor, jobId: string, deviceIds: string[], chunk: number, timeZoneTags: readonly (string | undefined)[] = []): Promise<void> {
    if (deviceIds.length === 0) return;
    await tx.query(`INSERT INTO ${S}.jobs (job_id) VALUES ($1) ON CONFLICT DO NOTHING`, [jobId]);
    const zones = deviceIds.map((_, index) => deviceTimeZone(timeZoneTags[index]));
    await tx.query(
      `INSERT INTO ${S}.operations (job_id, device_id, position, time_zone)
       SELECT $1, d.device_id, $3::int * ${TARGETS_CHUNK_SIZE} + d.n - 1, CASE WHEN ${BY_DEVICE_ZONE} THEN d.zone END
       FROM unnest($2::text[], $4::text[]) WITH ORDINALITY AS d(device_id, zone, n)
       LEFT JOIN ${S}.jobs j ON j.job_id = $1
       ON CONFLICT DO NOTHING`,
      [jobId, deviceIds, chunk, zones],
    );
    await addJobTimeZones(tx, jobId, zones);
  }

  async completeTargets(tx: SqlExecutor, jobId: string, total: number): Promise<void> {
    await tx.query(
      `INSERT INTO ${S}.jobs (job_id, targets_complete, targets_total) VALUES ($1, true, $2)
       ON CONFLICT (job_id) DO UPDATE SET targets_complete = true, targets_total = $2`,
      [jobId, total],
    );
  }

  /**
   * Targeting failed part-way: what arrived is all the job will ever have, and none of it may
   * start any more. Halted with its targets complete, the job finishes once nothing is in flight.
   */
  async abandonTargets(tx: SqlExecutor, jobId: string): Promise<void> {
    await this.halt(tx, jobId);
    await tx.query(`UPDATE ${S}.jobs SET targets_complete = true WHERE job_id = $1`, [jobId]);
  }

  /** After this commits, no claim of the job's operations can commit on any process. */
  async halt(executor: SqlExecutor, jobId: string): Promise<void> {
    await haltJob(executor, jobId);
  }

  /**
   * No process claims the job's devices until it is resumed. Only claiming stops here: the
   * permits in job_control are what keep a claim made before from sending.
   */
  async pause(executor: SqlExecutor, jobId: string): Promise<void> {
    await executor.query(
      `INSERT INTO ${S}.jobs (job_id, state) VALUES ($1, 'paused')
       ON CONFLICT (job_id) DO UPDATE SET state = 'paused' WHERE ${S}.jobs.state = 'active'`,
      [jobId],
    );
  }

  async resume(executor: SqlExecutor, jobId: string): Promise<void> {
    await executor.query(`UPDATE ${S}.jobs SET state = 'active' WHERE job_id = $1 AND state = 'paused'`, [jobId]);
  }
}

/** `DispatchIntakeRepository.halt`, for a release that halts its job in its own transaction. */
export async function haltJob(executor: SqlExecutor, jobId: string): Promise<void> {
  await executor.query(
    `INSERT INTO ${S}.jobs (job_id, state) VALUES ($1, 'halted')
     ON CONFLICT (job_id) DO UPDATE SET state = 'halted' WHERE ${S}.jobs.state IN ('active', 'paused')`,
    [jobId],
  );
}
