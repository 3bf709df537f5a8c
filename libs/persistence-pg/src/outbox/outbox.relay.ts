import { randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';
import { countDeadLetters, deadLetterOf, describeError, EventLog, isPermanentPublishError, isTransientError } from '@fleetjobs/messaging';
import { DataSource } from 'typeorm';
import { insertDeadLetters } from '../dead-letters/pg-dead-letter.store';
import { queryPrepared, queryRows } from '../sql';

export interface OutboxRelayOptions {
  dataSource: DataSource;
  schema: string;
  eventLog: EventLog;
  batchSize?: number;
  /** First pause when the outbox is empty; it doubles while nothing comes, up to `maxIdleMs`. */
  idleMs?: number;
  /** Longest pause between looks at an empty outbox (rows written by another replica wait this long at most). */
  maxIdleMs?: number;
  onError?: (error: unknown) => void;
}

interface OutboxRow {
  id: string;
  topic: string;
  key: string;
  headers: Record<string, string>;
  value: string;
}

const LEASE_SECONDS = 10;
/**
 * A lease granted is used without asking again for this long (from before it was asked), so that
 * a busy relay renews it every few seconds rather than before every batch; a batch still starts
 * with at least three quarters of the lease before it. A lease held by another replica is not
 * asked for again before this long either: that replica publishes this one's rows meanwhile.
 */
const LEASE_REUSE_MS = (LEASE_SECONDS * 1000) / 4;
/** While rows are published one at a time, the lease is renewed this often (in rows). */
const RENEW_LEASE_EVERY = 20;
/** Consumer group recorded on dead letters of the outbox. */
export const OUTBOX_DEAD_LETTER_GROUP = 'outbox';

/**
 * Publishes the outbox in insertion order and deletes what the log has acknowledged.
 * Replicas of a service share one outbox: a lease lets one relay publish at a time, which keeps
 * per-key order. No transaction is held while publishing, so it also runs on a one-connection
 * embedded database whose event log shares that connection. A crash between publish and delete
 * republishes; consumers drop the duplicate by event id.
 * A row the log refuses for what it is (too large, invalid) would hold back every later row: when
 * a batch fails that way, its rows are published one at a time, and the refused row is moved to
 * the service's dead letters (insert and delete in one transaction) so the rest carry on.
 * Transient failures (log or database unreachable) are retried with backoff for as long as they last.
 */
export class OutboxRelay {
  private readonly holder = randomUUID();
  private running = false;
  private loop: Promise<void> | null = null;
  private died: unknown = null;
  private readonly logger = new Logger(OutboxRelay.name);
  private wakeUp: (() => void) | null = null;
  /** A write asked for a round while one was under way: rows may have come after its select. */
  private wokenWhileBusy = false;
  /** Until when (performance.now()) the lease this relay holds is used without renewing it. */
  private leaseReusableUntil = 0;
  /** Until when (performance.now()) a lease held by another replica is not asked for. */
  private leaseRefusedUntil = 0;
  private published = 0;

  constructor(private readonly options: OutboxRelayOptions) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.died = null;
    this.loop = this.run().catch((error: unknown) => {
      this.died = error ?? new Error('the outbox relay loop ended');
      this.running = false;
      this.logger.error(`outbox relay of ${this.options.schema} died: ${describeError(error)}`);
    });
  }

  /** False once the publishing loop has died (not merely stopped): for the liveness probe. */
  isAlive(): boolean {
    return this.died === null;
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wake();
    await this.loop;
    await this.releaseLease().catch(() => undefined);
  }

  /** Asks for a publish round now, e.g. right after a transaction wrote to the outbox. */
  wake(): void {
    if (this.wakeUp) this.wakeUp();
    else this.wokenWhileBusy = true;
  }

  get publishedCount(): number {
    return this.published;
  }

  /** Publishes until the outbox is empty or the lease is held elsewhere; returns how many. */
  async drain(): Promise<number> {
    let total = 0;
    for (;;) {
      const count = await this.publishBatch();
      total += count;
      if (count < (this.options.batchSize ?? 500)) return total;
    }
  }

  private async run(): Promise<void> {
    const firstIdle = this.options.idleMs ?? 50;
    let idle = firstIdle;
    let failures = 0;
    while (this.running) {
      try {
        this.wokenWhileBusy = false;
        const count = await this.drain();
        failures = 0;
        if (count > 0) {
          idle = firstIdle;
          // The outbox was drained: look again at once only if a write came meanwhile.
          if (this.wokenWhileBusy) continue;
        }
      } catch (error) {
        failures += 1;
        this.options.onError?.(error);
      }
      const pause = failures ? Math.min(5000, 100 * 2 ** failures) : idle;
      // An idle relay looks less and less often; a local write wakes it at once.
      idle = Math.min(idle * 2, this.options.maxIdleMs ?? 1000);
      const woken = await new Promise<boolean>((resolve) => {
        const timer = setTimeout(() => resolve(false), pause);
        this.wakeUp = () => {
          clearTimeout(timer);
          resolve(true);
        };
      });
      this.wakeUp = null;
      if (woken) idle = firstIdle;
    }
  }

  private async publishBatch(): Promise<number> {
    const { dataSource, schema, eventLog } = this.options;
    if (!(await this.holdLease())) return 0;
    const rows = await queryPrepared<OutboxRow>(
      dataSource,
      `SELECT id, topic, key, headers, value FROM ${schema}.outbox ORDER BY id LIMIT $1`,
      [this.options.batchSize ?? 500],
    );
    if (rows.length === 0) return 0;
    try {
      await eventLog.publish(rows.map(toMessage));
    } catch (error) {
      if (isTransientError(error) || (rows.length === 1 && !isPermanentPublishError(error))) throw error;
      this.logger.warn(`publishing ${rows.length} outbox rows of ${schema} failed (${describeError(error)}); publishing them one at a time`);
      return this.publishOneByOne(rows);
    }
    await queryPrepared(dataSource, `DELETE FROM ${schema}.outbox WHERE id = ANY($1::bigint[])`, [rows.map((row) => row.id)]);
    this.published += rows.length;
    return rows.length;
  }

  /**
   * Publishes rows one at a time, in order, up to and including the first the log refuses for
   * good, which becomes a dead letter. Returns how many rows left the outbox.
   */
  private async publishOneByOne(rows: OutboxRow[]): Promise<number> {
    const { dataSource, schema, eventLog } = this.options;
    for (let index = 0; index < rows.length; index++) {
      if (index > 0 && index % RENEW_LEASE_EVERY === 0 && !(await this.holdLease())) return index;
      const row = rows[index];
      try {
        await eventLog.publish([toMessage(row)]);
      } catch (error) {
        if (!isPermanentPublishError(error)) throw error;
        await this.deadLetter(row, error);
        return index + 1;
      }
      await dataSource.query(`DELETE FROM ${schema}.outbox WHERE id = $1::bigint`, [row.id]);
      this.published += 1;
    }
    return rows.length;
  }

  private async deadLetter(row: OutboxRow, error: unknown): Promise<void> {
    const { dataSource, schema } = this.options;
    const letter = deadLetterOf(toMessage(row), {
      group: OUTBOX_DEAD_LETTER_GROUP,
      reason: 'rejected-by-log',
      error: describeError(error),
      attempts: 1,
    });
    await dataSource.transaction(async (tx) => {
      await insertDeadLetters(tx, schema, [letter]);
      await tx.query(`DELETE FROM ${schema}.outbox WHERE id = $1::bigint`, [row.id]);
    });
    countDeadLetters([letter]);
    this.logger.warn(
      `outbox row ${row.id} of ${schema} (${row.topic}, key ${row.key}, ${letter.valueBytes} bytes) refused by the event log ` +
        `and moved to ${schema}.dead_letters: ${letter.error}`,
    );
  }

  private async holdLease(): Promise<boolean> {
    if (performance.now() < this.leaseReusableUntil) return true;
    if (performance.now() < this.leaseRefusedUntil) return false;
    const { dataSource, schema } = this.options;
    const askedAt = performance.now();
    const rows = await queryRows(
      dataSource,
      `INSERT INTO ${schema}.outbox_lease (id, holder, expires_at)
       VALUES (1, $1, now() + make_interval(secs => $2))
       ON CONFLICT (id) DO UPDATE SET holder = EXCLUDED.holder, expires_at = EXCLUDED.expires_at
         WHERE ${schema}.outbox_lease.holder = EXCLUDED.holder OR ${schema}.outbox_lease.expires_at < now()
       RETURNING holder`,
      [this.holder, LEASE_SECONDS],
    );
    this.leaseReusableUntil = rows.length === 1 ? askedAt + LEASE_REUSE_MS : 0;
    this.leaseRefusedUntil = rows.length === 1 ? 0 : performance.now() + LEASE_REUSE_MS;
    return rows.length === 1;
  }

  private async releaseLease(): Promise<void> {
    this.leaseReusableUntil = 0;
    await this.options.dataSource.query(`DELETE FROM ${this.options.schema}.outbox_lease WHERE holder = $1`, [
      this.holder,
    ]);
  }
}

function toMessage({ topic, key, headers, value }: OutboxRow): { topic: string; key: string; headers: Record<string, string>; value: string } {
  return { topic, key, headers, value };
}
