import { MigrationInterface, QueryRunner } from 'typeorm';
import { DISPATCHER_SCHEMA as S } from '../dispatcher.schema';

/**
 * What a rollout job's devices and the hub said since its rate was last judged (outcomes,
 * failures that speak of load, 429s, device latency) and why the rate is what it is; and the
 * last progress the job published, so that it publishes again only when something changed.
 */
export class DispatcherRolloutSignals1764800000031 implements MigrationInterface {
  name = 'DispatcherRolloutSignals1764800000031';

  async up(runner: QueryRunner): Promise<void> {
    const statements = [
      `ALTER TABLE ${S}.jobs ADD COLUMN IF NOT EXISTS signal_since timestamptz`,
      `ALTER TABLE ${S}.jobs ADD COLUMN IF NOT EXISTS signal_outcomes int NOT NULL DEFAULT 0`,
      `ALTER TABLE ${S}.jobs ADD COLUMN IF NOT EXISTS signal_failed int NOT NULL DEFAULT 0`,
      `ALTER TABLE ${S}.jobs ADD COLUMN IF NOT EXISTS signal_throttled int NOT NULL DEFAULT 0`,
      `ALTER TABLE ${S}.jobs ADD COLUMN IF NOT EXISTS signal_latency_ms double precision NOT NULL DEFAULT 0`,
      `ALTER TABLE ${S}.jobs ADD COLUMN IF NOT EXISTS signal_timed int NOT NULL DEFAULT 0`,
      `ALTER TABLE ${S}.jobs ADD COLUMN IF NOT EXISTS rate_reason text`,
      `ALTER TABLE ${S}.jobs ADD COLUMN IF NOT EXISTS progress_sequence int NOT NULL DEFAULT 0`,
      `ALTER TABLE ${S}.jobs ADD COLUMN IF NOT EXISTS progress_published jsonb`,
      `ALTER TABLE ${S}.jobs ADD COLUMN IF NOT EXISTS progress_published_at timestamptz`,
    ];
    for (const statement of statements) await runner.query(statement);
  }

  async down(runner: QueryRunner): Promise<void> {
    const columns = [
      'signal_since', 'signal_outcomes', 'signal_failed', 'signal_throttled', 'signal_latency_ms', 'signal_timed',
      'rate_reason', 'progress_sequence', 'progress_published', 'progress_published_at',
    ];
    for (const column of columns) await runner.query(`ALTER TABLE ${S}.jobs DROP COLUMN IF EXISTS ${column}`);
  }
}
