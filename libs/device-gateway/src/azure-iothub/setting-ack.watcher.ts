import { HubThrottledError, RequestGate } from '../device-gateway.port';
import { JsonObject } from './json-merge-patch';
import { SettingAck, settingAckOf } from './twin-ack.poller';

/** How the watcher asks the hub; every request goes through the gate given (one read each). */
export interface AckSource {
  /**
   * Reported properties (`name` at least) of those of `deviceIds` the hub holds, by one twin query
   * (more only if the hub pages the answer). A device missing from the answer is read on its own.
   */
  queryReported(deviceIds: string[], name: string, gate: RequestGate): Promise<Map<string, JsonObject>>;
  /** One device's reported properties by a twin read; fails as the read does (unknown device included). */
  readReported(deviceId: string, gate: RequestGate): Promise<JsonObject>;
  /** Whether an id can be written into a query literal; other devices are read on their own. */
  queryable(deviceId: string): boolean;
}

export interface SettingAckWatcherOptions {
  /** Time between two rounds of queries. */
  intervalMs: number;
  /** Most devices named in one query. */
  maxDevicesPerQuery: number;
}

interface Waiter {
  deviceId: string;
  name: string;
  version: number;
  gate: RequestGate;
  deadline: number;
  /** While the hub throttles the reads that would tell, they go on until here. */
  giveUpAt: number;
  settle(outcome: { ack: SettingAck } | { error: unknown }): void;
}

/**
 * Waits for the acknowledgements of many settings at once: every round, the devices still waiting
 * are asked for with one twin query per setting name and `maxDevicesPerQuery` devices instead of one twin read
 * each, so the hub sees one request per round and batch, whatever the number of devices.
 *
 * Each device keeps the semantics of its own poll: "not acknowledged" is said only after a query at
 * or past its deadline was answered without the acknowledgement (a round is held at the earliest
 * deadline); a throttled query waits out its Retry-After (at least the interval) and is asked
 * again, for at most another timeout past the deadline, never surfacing as a failure that would
 * make the caller write the setting again. Any other failure of a query fails the devices it named.
 */
export class SettingAckWatcher {
  private readonly waiting = new Set<Waiter>();
  private timer: NodeJS.Timeout | null = null;
  private timerAt = Number.POSITIVE_INFINITY;
  private round: Promise<void> | null = null;
  private nextRoundAt = 0;
  private closedWith: Error | null = null;

  constructor(
    private readonly source: AckSource,
    private readonly options: SettingAckWatcherOptions,
  ) {}

  /** The device's answer to `name` at desired version `version`, waited for `timeoutMs` from `startedAtMs`. */
  wait(deviceId: string, name: string, version: number, gate: RequestGate, timeoutMs: number, startedAtMs = Date.now()): Promise<SettingAck> {
    return new Promise<SettingAck>((resolve, reject) => {
      if (this.closedWith) return reject(this.closedWith);
      const waiter: Waiter = {
        deviceId,
        name,
        version,
        gate,
        deadline: startedAtMs + timeoutMs,
        giveUpAt: startedAtMs + 2 * timeoutMs,
        settle: (outcome) => {
          if (!this.waiting.delete(waiter)) return;
          if ('ack' in outcome) resolve(outcome.ack);
          else reject(outcome.error);
        },
      };
      // The first to wait is asked for after one interval, as its own poll did; later ones join the round under way.
      if (this.waiting.size === 0 && !this.round) this.nextRoundAt = Math.max(this.nextRoundAt, Date.now() + this.options.intervalMs);
      this.waiting.add(waiter);
      this.arm();
    });
  }

  /** Ends every wait with `error`; nothing is asked of the hub after this. */
  close(error: Error): void {
    this.closedWith = error;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    for (const waiter of [...this.waiting]) waiter.settle({ error });
  }

  get waitingCount(): number {
    return this.waiting.size;
  }

  /** Sets the timer for the next round: at the interval, or earlier at a deadline or give-up time that comes first. */
  private arm(): void {
    if (this.round || this.waiting.size === 0) return;
    const now = Date.now();
    let at = Math.max(this.nextRoundAt, now);
    for (const waiter of this.waiting) {
      if (waiter.deadline > now) at = Math.min(at, waiter.deadline);
      else at = Math.min(at, Math.max(now, waiter.giveUpAt));
    }
    if (this.timer && this.timerAt <= at) return;
    if (this.timer) clearTimeout(this.timer);
    this.timerAt = at;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.timerAt = Number.POSITIVE_INFINITY;
      this.round = this.runRound()
        // Not expected (a round settles its own failures), but no device may be left waiting forever.
        .catch((error: unknown) => [...this.waiting].forEach((waiter) => waiter.settle({ error })))
        .finally(() => {
          this.round = null;
          this.arm();
        });
    }, at - now);
  }

  private async runRound(): Promise<void> {
    const startedAt = Date.now();
    // A round held early for a deadline asks only about the devices whose deadline came.
    const regular = startedAt >= this.nextRoundAt;
    const asked = [...this.waiting].filter((waiter) => regular || waiter.deadline <= startedAt);
    if (asked.length === 0) return;
    let retryAfterMs = 0;
    const throttled = (error: HubThrottledError, gate: RequestGate | null) => {
      gate?.throttled(error.retryAfterMs);
      retryAfterMs = Math.max(retryAfterMs, Number.isFinite(error.retryAfterMs) ? error.retryAfterMs : 0);
    };
    const batches = batchesOf(
      asked.filter((waiter) => this.source.queryable(waiter.deviceId)),
      this.options.maxDevicesPerQuery,
    );
    const alone = asked.filter((waiter) => !this.source.queryable(waiter.deviceId));
    await Promise.all(
      batches.map(async (batch) => {
        const gate = batch[0].gate;
        const readAt = Date.now();
        let found: Map<string, JsonObject>;
        try {
          found = await this.source.queryReported(uniqueIds(batch), batch[0].name, gate);
        } catch (error) {
          // IoT Hub throttles queries on their own, far below twin operations: a refused query slows
          // down the rounds, not the gate's other requests (patches, methods, reads).
          if (error instanceof HubThrottledError) return throttled(error, null);
          for (const waiter of batch) waiter.settle({ error });
          return;
        }
        const missing: Waiter[] = [];
        for (const waiter of batch) {
          const reported = found.get(waiter.deviceId);
          if (reported === undefined) missing.push(waiter);
          else this.heard(waiter, reported, readAt);
        }
        // Not in the answer: deleted meanwhile, or not yet in the hub's query index; its own read tells which.
        alone.push(...missing);
      }),
    );
    await Promise.all(
      alone.map(async (waiter) => {
        const readAt = Date.now();
        try {
          this.heard(waiter, await this.source.readReported(waiter.deviceId, waiter.gate), readAt);
        } catch (error) {
          if (error instanceof HubThrottledError) throttled(error, waiter.gate);
          else waiter.settle({ error });
        }
      }),
    );
    // A round at or past a device's give-up time was its last chance.
    for (const waiter of asked) if (startedAt >= waiter.giveUpAt) waiter.settle({ ack: { acknowledged: false } });
    if (regular) this.nextRoundAt = startedAt + Math.max(this.options.intervalMs, retryAfterMs);
    else this.nextRoundAt = Math.max(this.nextRoundAt, startedAt + retryAfterMs);
  }

  private heard(waiter: Waiter, reported: JsonObject, readAt: number): void {
    const ack = settingAckOf(reported, waiter.name, waiter.version);
    if (ack.acknowledged) waiter.settle({ ack });
    else if (readAt >= waiter.deadline) waiter.settle({ ack: { acknowledged: false } });
  }
}

/** Waiters in batches of one setting name and at most `size` devices. */
function batchesOf(waiters: Waiter[], size: number): Waiter[][] {
  const byName = new Map<string, Waiter[]>();
  for (const waiter of waiters) {
    const sameName = byName.get(waiter.name);
    if (sameName) sameName.push(waiter);
    else byName.set(waiter.name, [waiter]);
  }
  const batches: Waiter[][] = [];
  for (const sameName of byName.values()) {
    let batch: Waiter[] = [];
    const ids = new Set<string>();
    for (const waiter of sameName) {
      if (!ids.has(waiter.deviceId) && ids.size >= size) {
        batches.push(batch);
        batch = [];
        ids.clear();
      }
      batch.push(waiter);
      ids.add(waiter.deviceId);
    }
    if (batch.length > 0) batches.push(batch);
  }
  return batches;
}

function uniqueIds(batch: Waiter[]): string[] {
  return [...new Set(batch.map((waiter) => waiter.deviceId))];
}
