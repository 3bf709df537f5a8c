import { EventEnvelope, toWireMessage } from '@fleetjobs/contracts';
import { SqlExecutor, valuesList } from '../sql';

/** Rows per INSERT statement; keeps parameter counts well under PostgreSQL's 65,535. */
const ROWS_PER_STATEMENT = 1000;

/**
 * Writes outgoing events into the service's outbox inside the caller's transaction, so an
 * event is published if and only if the state change that produced it commits.
 */
export class OutboxWriter {
  constructor(private readonly schema: string) {}

  async write(tx: SqlExecutor, topic: string, envelopes: EventEnvelope[]): Promise<void> {
    for (let start = 0; start < envelopes.length; start += ROWS_PER_STATEMENT) {
      const rows = envelopes.slice(start, start + ROWS_PER_STATEMENT).map((envelope) => {
        const message = toWireMessage(topic, envelope);
        return [message.topic, message.key, JSON.stringify(message.headers), message.value];
      });
      const { sql, params } = valuesList(rows, ['', '', 'jsonb', '']);
      await tx.query(`INSERT INTO ${this.schema}.outbox (topic, key, headers, value) VALUES ${sql}`, params);
    }
  }
}
