import { EventBatchConsumer } from '@fleetjobs/messaging';
import { PgDeadLetterStore } from '@fleetjobs/persistence-pg';
import { DataSource } from 'typeorm';
import { PROJECTION_SCHEMA } from './projection.tokens';

/** Consumer group of the projection on every topic it reads. */
export const PROJECTION_GROUP = 'projection';

/**
 * How the projection reads a batch: every event type it knows; a message it can never read is
 * kept in `projection.dead_letters` and the partition moves on.
 */
export function projectionEventConsumer(dataSource: DataSource): EventBatchConsumer {
  return new EventBatchConsumer({ group: PROJECTION_GROUP, deadLetters: new PgDeadLetterStore(dataSource, PROJECTION_SCHEMA) });
}
