import { randomBytes } from 'node:crypto';
import type { WireMessage } from '@fleetjobs/contracts';
import type { BatchHandler, ConsumedMessage } from '../../event-log.port';
import { SqlEventLog, SqlEventLogOptions } from '../sql-event-log.adapter';
import type { LogDatabase } from './log-database';

/** What the scenarios share: the database, a log factory and the errors consumers reported. */
export interface EventLogHarness {
  db: LogDatabase;
  errors: unknown[];
  /** A log on the database's current DataSource, closed after the test. */
  newLog(options?: Partial<SqlEventLogOptions>): SqlEventLog;
  /** A topic or group name no other test uses. */
  unique(prefix: string): string;
  /** Closes the logs the test opened. */
  closeLogs(): Promise<void>;
}

export function eventLogHarness(db: () => LogDatabase): EventLogHarness {
  const logs: SqlEventLog[] = [];
  const harness: EventLogHarness = {
    get db() {
      return db();
    },
    errors: [],
    newLog(options = {}) {
      const log = new SqlEventLog({
        dataSource: db().current(),
        pollIntervalMs: 20,
        maxBackoffMs: 200,
        onError: (error) => harness.errors.push(error),
        ...options,
      });
      logs.push(log);
      return log;
    },
    unique: (prefix) => `${prefix}-${randomBytes(4).toString('hex')}`,
    async closeLogs() {
      await Promise.all(logs.splice(0).map((log) => log.close()));
    },
  };
  return harness;
}

export function message(topic: string, key: string, value: string, headers: Record<string, string> = {}): WireMessage {
  return { topic, key, value, headers };
}

/** A handler recording every message it is given. */
export function recorder(): { seen: ConsumedMessage[]; handleBatch: BatchHandler } {
  const seen: ConsumedMessage[] = [];
  return {
    seen,
    handleBatch: async (batch) => {
      seen.push(...batch);
    },
  };
}

/** Values per key in delivery order. */
export function valuesByKey(messages: ConsumedMessage[]): Map<string, string[]> {
  const byKey = new Map<string, string[]>();
  for (const m of messages) {
    if (!byKey.has(m.key)) byKey.set(m.key, []);
    byKey.get(m.key)!.push(m.value);
  }
  return byKey;
}

/** Offsets per partition, as numbers, in delivery order. */
export function offsetsByPartition(messages: ConsumedMessage[]): Map<number, number[]> {
  const byPartition = new Map<number, number[]>();
  for (const m of messages) {
    if (!byPartition.has(m.partition)) byPartition.set(m.partition, []);
    byPartition.get(m.partition)!.push(Number(m.offset));
  }
  return byPartition;
}

export function range(count: number, from = 0): number[] {
  return Array.from({ length: count }, (_, i) => from + i);
}
