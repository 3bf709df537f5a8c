import type { DeadLetter, DeadLetterStore } from '@fleetjobs/messaging';
import { DataSource } from 'typeorm';
import { queryRows, SqlExecutor } from '../sql';

/** The `dead_letters` table of one service schema (see `deadLettersDdl`). */
export class PgDeadLetterStore implements DeadLetterStore {
  constructor(
    private readonly dataSource: DataSource,
    private readonly schema: string,
  ) {}

  async store(letters: DeadLetter[]): Promise<DeadLetter[]> {
    if (letters.length === 0) return [];
    return insertDeadLetters(this.dataSource, this.schema, letters);
  }
}

/** Inserts dead letters, in the caller's transaction if it passes one; returns those not stored before. */
export async function insertDeadLetters(executor: SqlExecutor, schema: string, letters: DeadLetter[]): Promise<DeadLetter[]> {
  const added: DeadLetter[] = [];
  // One statement per letter: there are few, and the position conflict must be checked for each.
  for (const letter of letters) {
    const rows = await queryRows(
      executor,
      `INSERT INTO ${schema}.dead_letters
         (consumer_group, topic, partition, "offset", key, headers, value, value_bytes, reason, error, attempts)
       VALUES ($1, $2, $3, $4::bigint, $5, $6::jsonb, $7, $8, $9, $10, $11)
       ON CONFLICT (consumer_group, topic, partition, "offset") WHERE "offset" IS NOT NULL DO NOTHING
       RETURNING id`,
      [
        letter.group,
        letter.topic,
        letter.partition,
        letter.offset,
        letter.key,
        JSON.stringify(letter.headers),
        letter.value,
        letter.valueBytes,
        letter.reason,
        letter.error,
        letter.attempts,
      ],
    );
    if (rows.length === 1) added.push(letter);
  }
  return added;
}
