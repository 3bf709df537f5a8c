import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * DDL of the outbox and inbox every service keeps in its own schema: the outbox holds events
 * written in the same transaction as the state they describe; the inbox remembers which
 * incoming events a consumer has already applied.
 */
export function messagingTablesDdl(schema: string): string[] {
  return [
    `CREATE SCHEMA IF NOT EXISTS ${schema}`,
    `CREATE TABLE IF NOT EXISTS ${schema}.outbox (
       id bigserial PRIMARY KEY,
       topic text NOT NULL,
       key text NOT NULL,
       headers jsonb NOT NULL,
       value text NOT NULL,
       created_at timestamptz NOT NULL DEFAULT now()
     )`,
    `CREATE TABLE IF NOT EXISTS ${schema}.inbox (
       consumer text NOT NULL,
       event_id text NOT NULL,
       processed_at timestamptz NOT NULL DEFAULT now(),
       PRIMARY KEY (consumer, event_id)
     )`,
    `CREATE TABLE IF NOT EXISTS ${schema}.outbox_lease (
       id int PRIMARY KEY,
       holder text NOT NULL,
       expires_at timestamptz NOT NULL
     )`,
    `CREATE INDEX IF NOT EXISTS inbox_processed_at ON ${schema}.inbox (processed_at)`,
    ...deadLettersDdl(schema),
  ];
}

/**
 * DDL of a service's dead letters: messages its consumers could never read or handle, and rows
 * its outbox could never publish, kept with their position, content (bounded) and reason.
 * A position is stored once per consumer group, however often its batch is redelivered.
 */
export function deadLettersDdl(schema: string): string[] {
  return [
    `CREATE SCHEMA IF NOT EXISTS ${schema}`,
    `CREATE TABLE IF NOT EXISTS ${schema}.dead_letters (
       id bigserial PRIMARY KEY,
       consumer_group text NOT NULL,
       topic text NOT NULL,
       partition int,
       "offset" bigint,
       key text NOT NULL,
       headers jsonb NOT NULL,
       value text NOT NULL,
       value_bytes int NOT NULL,
       reason text NOT NULL,
       error text NOT NULL,
       attempts int NOT NULL,
       created_at timestamptz NOT NULL DEFAULT now()
     )`,
    `CREATE UNIQUE INDEX IF NOT EXISTS dead_letters_position
       ON ${schema}.dead_letters (consumer_group, topic, partition, "offset") WHERE "offset" IS NOT NULL`,
    `CREATE INDEX IF NOT EXISTS dead_letters_created_at ON ${schema}.dead_letters (created_at)`,
  ];
}

/**
 * The migration that adds `dead_letters` to an existing service schema. `name` is the migration's
 * name, ending in its 13-digit timestamp, e.g. `DispatcherDeadLetters1764400000001`.
 */
export function deadLettersMigration(schema: string, name: string): new () => MigrationInterface {
  return class DeadLettersMigration implements MigrationInterface {
    name = name;

    async up(runner: QueryRunner): Promise<void> {
      for (const statement of deadLettersDdl(schema)) await runner.query(statement);
    }

    async down(runner: QueryRunner): Promise<void> {
      await runner.query(`DROP TABLE IF EXISTS ${schema}.dead_letters`);
    }
  };
}
