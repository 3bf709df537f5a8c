import { decodeCursor, Page, toPage, ValidationProblem } from '@fleetjobs/http-kit';
import { queryRows, SqlExecutor } from '@fleetjobs/persistence-pg';
import { JOB_COMMAND_SCHEMA } from '../../job-command.schema';
import type { KnownSchedule } from './recurring-schedule.decider';
import { representSchedule, ScheduleRepresentation } from './schedule.representation';

const TABLE = `${JOB_COMMAND_SCHEMA}.schedules`;

interface ScheduleRow {
  schedule_id: string;
  created_at: string;
  representation: ScheduleRepresentation;
}

/** A creation time as the list writes it into its cursors (PostgreSQL reads it back exactly). */
const CURSOR_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;

/** `[createdAt, id]` of the last schedule of the previous page; only what the list gave out passes. */
function positionOf(cursor: unknown): [string, string] | null {
  const position = decodeCursor(cursor, 2);
  if (position === null) return null;
  const [createdAt, id] = position;
  if (typeof createdAt !== 'string' || !CURSOR_TIME.test(createdAt) || Number.isNaN(Date.parse(createdAt)) || typeof id !== 'string') {
    throw new ValidationProblem([{ field: 'cursor', message: 'is not a cursor this list gave out' }]);
  }
  return [createdAt, id];
}

/**
 * The schedules as the API shows them, written in the transaction of each decision on a
 * schedule's stream (the stream stays the truth), so a read never folds a stream.
 */
export const schedulesStore = {
  ddl(): string[] {
    return [
      `CREATE TABLE IF NOT EXISTS ${TABLE} (schedule_id text PRIMARY KEY, created_at timestamptz NOT NULL, representation jsonb NOT NULL)`,
      `CREATE INDEX IF NOT EXISTS schedules_newest ON ${TABLE} (created_at DESC, schedule_id DESC)`,
    ];
  },

  async keep(tx: SqlExecutor, state: KnownSchedule): Promise<void> {
    if (state.status === 'deleted') {
      await tx.query(`DELETE FROM ${TABLE} WHERE schedule_id = $1`, [state.schedule.scheduleId]);
      return;
    }
    await tx.query(
      `INSERT INTO ${TABLE} (schedule_id, created_at, representation) VALUES ($1, $2, $3)
       ON CONFLICT (schedule_id) DO UPDATE SET representation = EXCLUDED.representation`,
      [state.schedule.scheduleId, state.schedule.createdAt, JSON.stringify(representSchedule(state))],
    );
  },

  /** Whether a schedule (not deleted) has this id, or would name one of its runs so: no other job may take it. */
  async claims(db: SqlExecutor, jobId: string): Promise<boolean> {
    const run = /^(.+)\.run-\d+$/.exec(jobId);
    const ids = run ? [jobId, run[1]] : [jobId];
    const rows = await queryRows<{ schedule_id: string }>(db, `SELECT schedule_id FROM ${TABLE} WHERE schedule_id = ANY($1::text[]) LIMIT 1`, [ids]);
    return rows.length > 0;
  },

  async find(db: SqlExecutor, scheduleId: string): Promise<ScheduleRepresentation | null> {
    const [row] = await queryRows<ScheduleRow>(db, `SELECT representation FROM ${TABLE} WHERE schedule_id = $1`, [scheduleId]);
    return row?.representation ?? null;
  },

  /** Newest first; the cursor holds the last row's creation time and id. */
  async page(db: SqlExecutor, limit: number, cursor: unknown): Promise<Page<ScheduleRepresentation>> {
    const after = positionOf(cursor);
    const rows = await queryRows<ScheduleRow>(
      db,
      `SELECT schedule_id, to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS created_at, representation FROM ${TABLE}
        ${after ? 'WHERE (created_at, schedule_id) < ($2::timestamptz, $3)' : ''}
        ORDER BY created_at DESC, schedule_id DESC LIMIT $1`,
      after ? [limit + 1, after[0], after[1]] : [limit + 1],
    );
    return toPage(rows, limit, (row) => row.representation, (row) => [row.created_at, row.schedule_id]);
  },
};
