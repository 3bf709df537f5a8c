import { queryPrepared } from '@fleetjobs/sql';
import type { DataSource } from 'typeorm';
import type { BatchHandler, ConsumedMessage, Subscription } from '../event-log.port';
import type { SqlEventLogTables } from './sql-event-log.schema';

/** Where a subscription's error happened; `partition` is absent for errors of the polling loop. */
export interface SqlEventLogErrorContext {
  groupId: string;
  topic?: string;
  partition?: number;
}

export interface SqlEventLogSubscriptionSettings {
  dataSource: DataSource;
  tables: SqlEventLogTables;
  groupId: string;
  topics: string[];
  /** Every partition of the subscribed topics. */
  partitions: Array<{ topic: string; partition: number }>;
  handleBatch: BatchHandler;
  maxBatchSize: number;
  pollIntervalMs: number;
  /** Ceiling the poll interval grows to while nothing is pending and nothing is being handled. */
  maxIdlePollIntervalMs: number;
  /** How many partitions' batches may be handled at the same time. */
  partitionConcurrency: number;
  maxBackoffMs: number;
  onError: (error: unknown, context: SqlEventLogErrorContext) => void;
  /** Called once the subscription has stopped (releases its claim on the group). */
  onStopped: () => void;
}

interface PartitionState {
  topic: string;
  partition: number;
  busy: boolean;
  failures: number;
  retryAt: number;
}

interface MessageRow {
  offset: string;
  key: string;
  headers: Record<string, string>;
  value: string;
}

const FIRST_BACKOFF_MS = 100;

/**
 * One consumer-group member polling the embedded log. Each partition is handled by at most one
 * batch at a time (its order is kept); up to `partitionConcurrency` partitions run at once, picked
 * round-robin, so a failing or slow partition does not hold the others back.
 */
export class SqlEventLogSubscription implements Subscription {
  readonly groupId: string;
  private readonly states: PartitionState[];
  private readonly inFlight = new Set<Promise<void>>();
  private running = true;
  private failed = false;
  private stopping = false;
  private woken = false;
  private wakeSleeper: (() => void) | null = null;
  private loopFailures = 0;
  private idlePolls = 0;
  private cursor = 0;
  private readonly loopDone: Promise<void>;
  private stopped: Promise<void> | null = null;
  private released = false;

  constructor(private readonly settings: SqlEventLogSubscriptionSettings) {
    this.groupId = settings.groupId;
    this.states = settings.partitions.map((p) => ({ ...p, busy: false, failures: 0, retryAt: 0 }));
    this.loopDone = this.loop();
  }

  isRunning(): boolean {
    return this.running && !this.stopping;
  }

  hasFailed(): boolean {
    return this.failed;
  }

  /** Wakes the polling loop now instead of at its next poll. */
  wake(): void {
    this.woken = true;
    this.wakeSleeper?.();
  }

  async lag(): Promise<number> {
    const { tables: t, dataSource, groupId, topics } = this.settings;
    const rows: Array<{ lag: string }> = await dataSource.query(
      `SELECT COALESCE(SUM(h.next_offset - COALESCE(o.committed_offset, 0)), 0)::text AS lag
         FROM ${t.partitionHeads} h
         LEFT JOIN ${t.consumerOffsets} o
           ON o.group_id = $1 AND o.topic = h.topic AND o.partition = h.partition
        WHERE h.topic = ANY($2)`,
      [groupId, topics],
    );
    return Number(rows[0].lag);
  }

  /** Lets the batches being handled finish and commit, then stops polling. */
  stop(): Promise<void> {
    this.stopped ??= (async () => {
      this.stopping = true;
      this.wake();
      await this.loopDone;
      while (this.inFlight.size > 0) await Promise.all(this.inFlight);
      this.running = false;
      this.release();
    })();
    return this.stopped;
  }

  private async loop(): Promise<void> {
    while (!this.stopping) {
      this.woken = false;
      try {
        const pending = await this.pendingPartitions();
        this.dispatch(pending);
        this.loopFailures = 0;
        this.idlePolls = pending.size === 0 && this.inFlight.size === 0 ? this.idlePolls + 1 : 0;
        await this.sleep(this.pollDelayMs());
      } catch (error) {
        this.report(error, {});
        if (!this.settings.dataSource.isInitialized) {
          // The database is gone for good: the member has crashed, as a Kafka consumer would.
          this.running = false;
          this.failed = true;
          this.release();
          return;
        }
        this.loopFailures += 1;
        await this.sleep(this.backoffMs(this.loopFailures));
      }
    }
  }

  private async pendingPartitions(): Promise<Set<string>> {
    const { tables: t, dataSource, groupId, topics } = this.settings;
    const rows = await queryPrepared<{ topic: string; partition: number }>(
      dataSource,
      `SELECT h.topic, h.partition
         FROM ${t.partitionHeads} h
         LEFT JOIN ${t.consumerOffsets} o
           ON o.group_id = $1 AND o.topic = h.topic AND o.partition = h.partition
        WHERE h.topic = ANY($2) AND h.next_offset > COALESCE(o.committed_offset, 0)`,
      [groupId, topics],
    );
    return new Set(rows.map((r) => `${r.topic}\u0000${r.partition}`));
  }

  private dispatch(pending: Set<string>): void {
    const now = Date.now();
    const count = this.states.length;
    const start = this.cursor;
    for (let i = 0; i < count && this.inFlight.size < this.settings.partitionConcurrency; i += 1) {
      const state = this.states[(start + i) % count];
      if (state.busy || state.retryAt > now || this.stopping) continue;
      if (!pending.has(`${state.topic}\u0000${state.partition}`)) continue;
      this.cursor = (start + i + 1) % count;
      state.busy = true;
      const task = this.handlePartition(state);
      this.inFlight.add(task);
      void task.finally(() => this.inFlight.delete(task));
    }
  }

  private async handlePartition(state: PartitionState): Promise<void> {
    try {
      const batch = await this.fetch(state);
      if (batch.length > 0) {
        await this.settings.handleBatch(batch);
        await this.commit(state, BigInt(batch[batch.length - 1].offset) + 1n);
      }
      state.failures = 0;
      state.retryAt = 0;
    } catch (error) {
      state.failures += 1;
      state.retryAt = Date.now() + this.backoffMs(state.failures);
      this.report(error, { topic: state.topic, partition: state.partition });
    } finally {
      state.busy = false;
      this.wake();
    }
  }

  private async fetch(state: PartitionState): Promise<ConsumedMessage[]> {
    const { tables: t, dataSource, groupId, maxBatchSize } = this.settings;
    // The position is read from the database, not kept in memory: the commit is the only truth.
    const rows = await queryPrepared<MessageRow>(
      dataSource,
      `SELECT m."offset"::text AS "offset", m.key, m.headers, m.value
         FROM ${t.messages} m
        WHERE m.topic = $1 AND m.partition = $2
          AND m."offset" >= COALESCE((SELECT o.committed_offset FROM ${t.consumerOffsets} o
                                       WHERE o.group_id = $3 AND o.topic = $1 AND o.partition = $2), 0)
        ORDER BY m."offset"
        LIMIT $4`,
      [state.topic, state.partition, groupId, maxBatchSize],
    );
    return rows.map((row) => ({
      topic: state.topic,
      partition: state.partition,
      offset: row.offset,
      key: row.key,
      headers: row.headers,
      value: row.value,
    }));
  }

  private async commit(state: PartitionState, nextOffset: bigint): Promise<void> {
    const { tables: t, dataSource, groupId } = this.settings;
    // GREATEST: a late commit of an abandoned member can never move a group's position back.
    await queryPrepared(
      dataSource,
      `INSERT INTO ${t.consumerOffsets} (group_id, topic, partition, committed_offset)
       VALUES ($1, $2, $3, $4)
       ON CONFLICT (group_id, topic, partition)
       DO UPDATE SET committed_offset = GREATEST(${t.consumerOffsets}.committed_offset, EXCLUDED.committed_offset)`,
      [groupId, state.topic, state.partition, nextOffset.toString()],
    );
  }

  private release(): void {
    if (this.released) return;
    this.released = true;
    this.settings.onStopped();
  }

  private sleep(ms: number): Promise<void> {
    if (this.woken || this.stopping) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wakeSleeper = null;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wakeSleeper = done;
    });
  }

  /** An idle member polls less and less often (publishes in this process wake it at once). */
  private pollDelayMs(): number {
    const { pollIntervalMs, maxIdlePollIntervalMs } = this.settings;
    if (this.idlePolls <= 1) return pollIntervalMs;
    return Math.max(pollIntervalMs, Math.min(maxIdlePollIntervalMs, pollIntervalMs * 2 ** Math.min(this.idlePolls - 1, 16)));
  }

  private backoffMs(failures: number): number {
    return Math.min(this.settings.maxBackoffMs, FIRST_BACKOFF_MS * 2 ** Math.min(failures - 1, 16));
  }

  private report(error: unknown, context: Omit<SqlEventLogErrorContext, 'groupId'>): void {
    try {
      this.settings.onError(error, { groupId: this.groupId, ...context });
    } catch {
      // An error reporter that throws must not take the consumer down.
    }
  }
}
