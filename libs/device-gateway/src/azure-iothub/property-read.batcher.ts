import { RequestGate } from '../device-gateway.port';

/** Where a value about to be written lives in a twin: a property (a tag under `properties`) or a setting (a desired property). */
export type TwinValueKind = 'property' | 'setting';

/** One device's value as a twin query answered it: the twin's etag, and the value when it has one. */
export interface PropertyRead {
  etag: string;
  /** `undefined`: the twin holds no such value. */
  value: unknown;
  /** The device's connection state, asked with a setting's value. */
  connectionState?: string;
}

/** How the batcher asks the hub; the query goes through the gate given (one read per page). */
export interface PropertyQuerySource {
  /** The etag and the value `name` of `kind` of those of `deviceIds` the hub answers for, by one twin query. */
  queryValues(deviceIds: string[], kind: TwinValueKind, name: string, gate: RequestGate): Promise<Map<string, PropertyRead>>;
  /** Whether a device id and a property name can be written into a query; others are read on their own. */
  queryable(deviceId: string, name: string): boolean;
}

export interface PropertyReadBatcherOptions {
  /** Most devices named in one query. */
  maxDevicesPerQuery: number;
  /** A query answered later than this (a hub that queues its queries) stops queries for `pauseMs`. */
  slowQueryMs: number;
  /** How long devices read their twins on their own after a query failed, was throttled or was slow. */
  pauseMs: number;
  now?: () => number;
}

interface Waiter {
  deviceId: string;
  kind: TwinValueKind;
  name: string;
  gate: RequestGate;
  resolve(read: PropertyRead | null): void;
}

/**
 * Reads the property or setting that many devices are about to write with one twin query per
 * kind and name and `maxDevicesPerQuery` devices, instead of one twin read each. One round of queries at a time:
 * devices that ask while one is under way share the next. An answer of `null` means "read the
 * twin yourself": the device was not in the answer, cannot be named in a query, or queries are
 * paused. IoT Hub throttles queries on their own and far below twin reads on S1 and S2 (20 a
 * minute and unit): a query refused, failed or answered slowly pauses them for a while, so that a
 * hub that cannot serve them costs at most one slow query per pause.
 */
export class PropertyReadBatcher {
  private waiting: Waiter[] = [];
  private scheduled = false;
  private flushing = false;
  private pausedUntil = 0;
  private readonly now: () => number;

  constructor(
    private readonly source: PropertyQuerySource,
    private readonly options: PropertyReadBatcherOptions,
  ) {
    this.now = options.now ?? Date.now;
  }

  read(deviceId: string, kind: TwinValueKind, name: string, gate: RequestGate): Promise<PropertyRead | null> {
    if (!this.source.queryable(deviceId, name) || this.now() < this.pausedUntil) return Promise.resolve(null);
    return new Promise((resolve) => {
      this.waiting.push({ deviceId, kind, name, gate, resolve });
      if (this.flushing || this.scheduled) return;
      this.scheduled = true;
      setImmediate(() => void this.flush());
    });
  }

  private async flush(): Promise<void> {
    this.scheduled = false;
    this.flushing = true;
    try {
      while (this.waiting.length > 0) {
        const waiters = this.waiting;
        this.waiting = [];
        if (this.now() < this.pausedUntil) {
          for (const waiter of waiters) waiter.resolve(null);
          continue;
        }
        await Promise.all(batchesOf(waiters, this.options.maxDevicesPerQuery).map((batch) => this.ask(batch)));
      }
    } finally {
      this.flushing = false;
    }
  }

  private async ask(batch: Waiter[]): Promise<void> {
    const startedAt = this.now();
    // Time spent waiting in the gate (the deployment's rate limit) is not the hub's slowness.
    let gatedMs = 0;
    const gate = batch[0].gate;
    const timedGate: RequestGate = {
      beforeRead: async () => {
        const since = this.now();
        try {
          await gate.beforeRead();
        } finally {
          gatedMs += this.now() - since;
        }
      },
      beforeMutation: () => gate.beforeMutation(),
      throttled: (retryAfterMs) => gate.throttled(retryAfterMs),
    };
    let found: Map<string, PropertyRead>;
    try {
      found = await this.source.queryValues([...new Set(batch.map((waiter) => waiter.deviceId))], batch[0].kind, batch[0].name, timedGate);
    } catch {
      this.pause();
      for (const waiter of batch) waiter.resolve(null);
      return;
    }
    if (this.now() - startedAt - gatedMs > this.options.slowQueryMs) this.pause();
    for (const waiter of batch) waiter.resolve(found.get(waiter.deviceId) ?? null);
  }

  private pause(): void {
    this.pausedUntil = Math.max(this.pausedUntil, this.now() + this.options.pauseMs);
  }
}

/** Waiters in batches of one kind and name and at most `size` devices. */
function batchesOf(waiters: Waiter[], size: number): Waiter[][] {
  const byName = new Map<string, Waiter[][]>();
  for (const waiter of waiters) {
    const key = `${waiter.kind}\u0000${waiter.name}`;
    const batches = byName.get(key) ?? [];
    if (!byName.has(key)) byName.set(key, batches);
    const last = batches[batches.length - 1];
    if (last && last.length < size) last.push(waiter);
    else batches.push([waiter]);
  }
  return [...byName.values()].flat();
}
