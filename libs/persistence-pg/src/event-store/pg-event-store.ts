import { EventEnvelope, readActor } from '@fleetjobs/contracts';
import { OutboxWriter } from '../outbox/outbox.writer';
import { isUniqueViolation, queryRows, SqlExecutor, valuesList } from '../sql';

/** Another writer appended to the stream since it was read; re-read, re-decide, retry. */
export class StreamVersionConflictError extends Error {
  constructor(readonly streamId: string, readonly expectedVersion: number) {
    super(`stream ${streamId} moved past version ${expectedVersion}`);
  }
}

interface EventRow {
  version: number;
  event_id: string;
  type: string;
  event_version: number;
  source: string;
  data: unknown;
  recorded_at: Date | string;
  correlation_id: string | null;
  causation_id: string | null;
  actor: unknown;
}

/** DDL of the event store: one row per event, unique per (stream, version). */
export function eventStoreDdl(schema: string): string[] {
  return [
    `CREATE TABLE IF NOT EXISTS ${schema}.events (
       stream_id text NOT NULL,
       version int NOT NULL,
       event_id text NOT NULL UNIQUE,
       type text NOT NULL,
       event_version int NOT NULL,
       source text NOT NULL,
       data jsonb NOT NULL,
       correlation_id text,
       causation_id text,
       recorded_at timestamptz NOT NULL,
       actor jsonb,
       PRIMARY KEY (stream_id, version)
     )`,
  ];
}

/** Adds who sent the command (`actor`, null on events the system decided) to an older events table. */
export function eventStoreActorDdl(schema: string): string[] {
  return [`ALTER TABLE ${schema}.events ADD COLUMN IF NOT EXISTS actor jsonb`];
}

/**
 * Event store with optimistic concurrency: `append` succeeds only if the stream is still at
 * `expectedVersion`, and writes the same events to the outbox in the caller's transaction.
 */
export class PgEventStore {
  private readonly outbox: OutboxWriter;

  constructor(
    private readonly schema: string,
    /** Where `append` publishes the events it stores. */
    readonly topic: string,
  ) {
    this.outbox = new OutboxWriter(schema);
  }

  async read(tx: SqlExecutor, streamId: string): Promise<EventEnvelope[]> {
    const rows = await queryRows<EventRow>(
      tx,
      `SELECT version, event_id, type, event_version, source, data, recorded_at, correlation_id, causation_id, actor
       FROM ${this.schema}.events WHERE stream_id = $1 ORDER BY version`,
      [streamId],
    );
    return rows.map((row) => {
      const actor = readActor(row.actor);
      return {
        id: row.event_id,
        type: row.type,
        version: row.event_version,
        source: row.source,
        subject: streamId,
        time: new Date(row.recorded_at).toISOString(),
        correlationId: row.correlation_id ?? undefined,
        causationId: row.causation_id ?? undefined,
        ...(actor ? { actor } : {}),
        data: row.data,
      };
    });
  }

  /** Must run inside a transaction; a conflict aborts it, so the caller retries from the start. */
  async append(tx: SqlExecutor, streamId: string, expectedVersion: number, envelopes: EventEnvelope[]): Promise<void> {
    if (envelopes.length === 0) return;
    await this.appendEvents(tx, streamId, expectedVersion, envelopes);
    await this.outbox.write(tx, this.topic, envelopes);
  }

  /**
   * Stores the events only, for a caller that publishes them itself (through a unit of work).
   * Same rules as `append`: inside a transaction, and a conflict aborts it.
   */
  async appendEvents(
    tx: SqlExecutor,
    streamId: string,
    expectedVersion: number,
    envelopes: readonly EventEnvelope[],
  ): Promise<void> {
    if (envelopes.length === 0) return;
    const rows = envelopes.map((envelope, index) => [
      streamId,
      expectedVersion + index + 1,
      envelope.id,
      envelope.type,
      envelope.version,
      envelope.source,
      JSON.stringify(envelope.data),
      envelope.correlationId ?? null,
      envelope.causationId ?? null,
      envelope.time,
      envelope.actor ? JSON.stringify(envelope.actor) : null,
    ]);
    const { sql, params } = valuesList(rows, ['', '', '', '', '', '', 'jsonb', '', '', 'timestamptz', 'jsonb']);
    try {
      await tx.query(
        `INSERT INTO ${this.schema}.events
           (stream_id, version, event_id, type, event_version, source, data, correlation_id, causation_id, recorded_at, actor)
         VALUES ${sql}`,
        params,
      );
    } catch (error) {
      if (isUniqueViolation(error)) throw new StreamVersionConflictError(streamId, expectedVersion);
      throw error;
    }
  }
}
