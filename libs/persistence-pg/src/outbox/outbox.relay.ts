import { randomUUID } from 'node:crypto';
import { EventLog } from '@fleetjobs/messaging';
import { DataSource } from 'typeorm';
import { queryRows } from '../sql';

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
 * Publishes the outbox in insertion order and deletes what the log has acknowledged.
 * Replicas of a service share one outbox: a lease lets one relay publish at a time, which keeps
 * per-key order. No transaction is held while publishing, so it also runs on a one-connection
 * embedded database whose event log shares that connection. A crash between publish and delete
 * republishes; consumers drop the duplicate by event id.
 */
export class OutboxRelay {
  private readonly holder = randomUUID();
  private running = false;
  private loop: Promise<void> | null = null;
  private wakeUp: (() => void) | null = null;
  private published = 0;

  constructor(private readonly options: OutboxRelayOptions) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wake();
    await this.loop;
    await this.releaseLease().catch(() => undefined);
  }

  /** Asks for a publish round now, e.g. right after a transaction wrote to the outbox. */
  wake(): void {
    this.wakeUp?.();
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
        const count = await this.drain();
        failures = 0;
        if (count > 0) {
          idle = firstIdle;
          continue;
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
    const rows = await queryRows<OutboxRow>(
      dataSource,
      `SELECT id, topic, key, headers, value FROM ${schema}.outbox ORDER BY id LIMIT $1`,
      [this.options.batchSize ?? 500],
    );
    if (rows.length === 0) return 0;
    await eventLog.publish(rows.map(({ topic, key, headers, value }) => ({ topic, key, headers, value })));
    await dataSource.query(`DELETE FROM ${schema}.outbox WHERE id = ANY($1::bigint[])`, [rows.map((row) => row.id)]);
    this.published += rows.length;
    return rows.length;
  }

  private async holdLease(): Promise<boolean> {
    const { dataSource, schema } = this.options;
    const rows = await queryRows(
      dataSource,
      `INSERT INTO ${schema}.outbox_lease (id, holder, expires_at)
       VALUES (1, $1, now() + make_interval(secs => $2))
       ON CONFLICT (id) DO UPDATE SET holder = EXCLUDED.holder, expires_at = EXCLUDED.expires_at
         WHERE ${schema}.outbox_lease.holder = EXCLUDED.holder OR ${schema}.outbox_lease.expires_at < now()
       RETURNING holder`,
      [this.holder, LEASE_SECONDS],
    );
    return rows.length === 1;
  }

  private async releaseLease(): Promise<void> {
    await this.options.dataSource.query(`DELETE FROM ${this.options.schema}.outbox_lease WHERE holder = $1`, [
      this.holder,
    ]);
  }
}
