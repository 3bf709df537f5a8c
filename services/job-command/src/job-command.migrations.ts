import { eventStoreDdl, messagingTablesDdl } from '@fleetjobs/persistence-pg';
import { MigrationInterface, QueryRunner } from 'typeorm';
import { JOB_COMMAND_SCHEMA } from './job-command.schema';

export class JobCommandInitial1764200000001 implements MigrationInterface {
  name = 'JobCommandInitial1764200000001';

  async up(runner: QueryRunner): Promise<void> {
    for (const statement of [...messagingTablesDdl(JOB_COMMAND_SCHEMA), ...eventStoreDdl(JOB_COMMAND_SCHEMA)]) {
      await runner.query(statement);
    }
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP SCHEMA IF EXISTS ${JOB_COMMAND_SCHEMA} CASCADE`);
  }
}

export const jobCommandMigrations = [JobCommandInitial1764200000001];
