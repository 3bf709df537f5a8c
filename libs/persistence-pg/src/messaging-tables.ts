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
  ];
}
