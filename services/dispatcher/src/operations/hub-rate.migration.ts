import { MigrationInterface, QueryRunner } from 'typeorm';
import { DISPATCHER_SCHEMA as S } from '../dispatcher.schema';

/**
 * The hub's send schedule shared by every dispatcher of the deployment (HUB_RATE_LIMIT_PER_SECOND):
 * one row, the next moment a request may be sent.
 */
export class DispatcherHubPacing1764800000047 implements MigrationInterface {
  name = 'DispatcherHubPacing1764800000047';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(
      `CREATE TABLE IF NOT EXISTS ${S}.hub_pacing (
         id smallint PRIMARY KEY CHECK (id = 1),
         next_at timestamptz NOT NULL
       )`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE IF EXISTS ${S}.hub_pacing`);
  }
}
