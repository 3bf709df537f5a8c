import { EventEnvelope, toWireMessage } from '@fleetjobs/contracts';
import { queryPrepared, SqlExecutor } from '../sql';

/** Rows per INSERT statement, so that no one statement carries an unbounded batch. */
const ROWS_PER_STATEMENT = 1000;

/**
 * Writes outgoing events into the service's outbox inside the caller's transaction, so an
 * event is published if and only if the state change that produced it commits.
 */
export class OutboxWriter {
  constructor(private readonly schema: string) {}

  async write(tx: SqlExecutor, topic: string, envelopes: EventEnvelope[]): Promise<void> {
    for (let start = 0; start < envelopes.length; start += ROWS_PER_STATEMENT) {
      const messages = envelopes.slice(start, start + ROWS_PER_STATEMENT).map((envelope) => toWireMessage(topic, envelope));
      // Arrays rather than a VALUES list: one text for every batch size, prepared once; the ids
      // follow the events' order.
      await queryPrepared(
        tx,
        `INSERT INTO ${this.schema}.outbox (topic, key, headers, value)
         SELECT $1, m.key, m.headers::jsonb, m.value FROM unnest($2::text[], $3::text[], $4::text[]) WITH ORDINALITY AS m(key, headers, value, n)
         ORDER BY m.n`,
        [topic, messages.map((message) => message.key), messages.map((message) => JSON.stringify(message.headers)), messages.map((message) => message.value)],
      );
    }
  }
}
