/** Table names of the embedded event log inside its schema, already quoted for SQL. */
export interface SqlEventLogTables {
  schema: string;
  topics: string;
  partitionHeads: string;
  messages: string;
  consumerOffsets: string;
}

const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;

export function eventLogTables(schema: string): SqlEventLogTables {
  if (!IDENTIFIER.test(schema)) throw new Error(`Invalid event log schema name: ${schema}`);
  const q = (table: string) => `"${schema}"."${table}"`;
  return {
    schema: `"${schema}"`,
    topics: q('topics'),
    partitionHeads: q('partition_heads'),
    messages: q('messages'),
    consumerOffsets: q('consumer_offsets'),
  };
}

/**
 * Idempotent DDL. `partition_heads.next_offset` is the offset the next appended message gets;
 * updating it inside the appending transaction both assigns dense offsets and serializes
 * appenders of one partition. `consumer_offsets.committed_offset` is, as in Kafka, the next
 * offset the group will read.
 */
export function eventLogDdl(t: SqlEventLogTables): string[] {
  return [
    `CREATE SCHEMA IF NOT EXISTS ${t.schema}`,
    `CREATE TABLE IF NOT EXISTS ${t.topics} (
      name text PRIMARY KEY,
      partitions integer NOT NULL CHECK (partitions > 0)
    )`,
    `CREATE TABLE IF NOT EXISTS ${t.partitionHeads} (
      topic text NOT NULL REFERENCES ${t.topics} (name),
      partition integer NOT NULL,
      next_offset bigint NOT NULL DEFAULT 0,
      PRIMARY KEY (topic, partition)
    )`,
    `CREATE TABLE IF NOT EXISTS ${t.messages} (
      topic text NOT NULL,
      partition integer NOT NULL,
      "offset" bigint NOT NULL,
      key text NOT NULL,
      headers jsonb NOT NULL,
      value text NOT NULL,
      appended_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (topic, partition, "offset")
    )`,
    `CREATE TABLE IF NOT EXISTS ${t.consumerOffsets} (
      group_id text NOT NULL,
      topic text NOT NULL,
      partition integer NOT NULL,
      committed_offset bigint NOT NULL DEFAULT 0,
      PRIMARY KEY (group_id, topic, partition)
    )`,
  ];
}
