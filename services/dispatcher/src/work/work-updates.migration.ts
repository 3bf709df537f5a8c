import { MigrationInterface, QueryRunner } from 'typeorm';
import { DISPATCHER_SCHEMA as S } from '../dispatcher.schema';

/**
 * A device's row is written three times: claimed, marked sent, concluded. Each write that changes
 * a column an index covers or filters on adds an entry to every index that holds the new version;
 * one that changes none can stay on its page (a HOT update) and touches no index. Two indexes no
 * statement reads any more made every write pay: `operations_unsent` (which made the send mark,
 * which sets only `sent_at`, touch four indexes) and `operations_in_flight` by worker (the orphan
 * sweep reads the in-flight rows through `operations_in_flight_by_job`, which holds the same rows).
 * Leaving three tenths of each new page free lets the send mark find room beside its row (a fifth left
 * too little once the claim's new versions took their share).
 */
export class DispatcherLighterWorkUpdates1765300000011 implements MigrationInterface {
  name = 'DispatcherLighterWorkUpdates1765300000011';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP INDEX IF EXISTS ${S}.operations_unsent`);
    await runner.query(`DROP INDEX IF EXISTS ${S}.operations_in_flight`);
    await runner.query(`ALTER TABLE ${S}.operations SET (fillfactor = 70)`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE ${S}.operations RESET (fillfactor)`);
    await runner.query(`CREATE INDEX IF NOT EXISTS operations_in_flight ON ${S}.operations (worker_id) WHERE status = 'in_flight'`);
    await runner.query(`CREATE INDEX IF NOT EXISTS operations_unsent ON ${S}.operations (job_id) WHERE status = 'in_flight' AND sent_at IS NULL`);
  }
}
