import { hubJobOperationsPerSecond } from '@fleetjobs/contracts';

/**
 * IoT Hub's operation throttles: each kind of operation has its own rate, set by the hub's tier
 * and unit count ("Operation throttles" of
 * https://learn.microsoft.com/azure/iot-hub/iot-hub-devguide-quotas-throttling). Requests beyond
 * the rate are first slowed down — queued and served at the rate (traffic shaping) — and only
 * refused with 429 once the queue is full.
 */
export const HUB_SKUS = ['S1', 'S2', 'S3'] as const;
export type HubSku = (typeof HUB_SKUS)[number];
export type ThrottleKind = 'twin-read' | 'twin-update' | 'method' | 'registry' | 'query' | 'job';
export const THROTTLE_KINDS: readonly ThrottleKind[] = ['twin-read', 'twin-update', 'method', 'registry', 'query', 'job'];

/** A direct method consumes its throttle in 4 KB meters of payload. */
export const METHOD_METER_BYTES = 4 * 1024;
/** How long traffic shaping may hold a request before the hub refuses instead. */
export const SHAPING_QUEUE_SECONDS = 2;

/** Operations per second (for methods: 4 KB meters per second) of a hub of `units` units of `sku`. */
export function throttleRates(sku: HubSku, units: number): Record<ThrottleKind, number> {
  const u = Math.max(1, Math.floor(units));
  switch (sku) {
    case 'S1':
      return { 'twin-read': 100, 'twin-update': 50, method: 40 * u, registry: (100 / 60) * u, query: (20 / 60) * u, job: hubJobOperationsPerSecond(sku, u) };
    case 'S2':
      return {
        'twin-read': Math.max(100, 10 * u),
        'twin-update': Math.max(50, 5 * u),
        method: 120 * u,
        registry: (100 / 60) * u,
        query: (20 / 60) * u,
        job: hubJobOperationsPerSecond(sku, u),
      };
    case 'S3':
      return {
        'twin-read': 500 * u,
        'twin-update': 250 * u,
        method: 6144 * u,
        registry: (5000 / 60) * u,
        query: (1000 / 60) * u,
        job: hubJobOperationsPerSecond(sku, u),
      };
  }
}

/** `HUB_SKU` (S1, S2 or S3; unset or empty: no throttles) and `HUB_UNITS` (default 1). */
export function hubThrottleFromEnv(env: Record<string, string | undefined>): HubThrottleSettings | null {
  const sku = env['HUB_SKU'];
  if (!sku) return null;
  const units = env['HUB_UNITS'] ? Number(env['HUB_UNITS']) : 1;
  if (!isHubSku(sku) || !Number.isInteger(units) || units < 1) {
    throw new Error(`HUB_SKU must be S1, S2 or S3 and HUB_UNITS a whole number of at least 1 (got "${sku}", "${env['HUB_UNITS'] ?? ''}")`);
  }
  return { sku, units };
}

export function isHubSku(value: unknown): value is HubSku {
  return typeof value === 'string' && (HUB_SKUS as readonly string[]).includes(value);
}

/**
 * One kind's throttle: a bucket of a second's worth of operations that refills at the rate; a
 * request finding it empty waits its turn, as long as the wait stays within the shaping queue.
 */
export class OperationThrottle {
  private tokens: number;
  private refilledAtMs: number;
  refused = 0;
  shaped = 0;

  constructor(
    readonly ratePerSecond: number,
    nowMs: number = Date.now(),
    private readonly queueSeconds = SHAPING_QUEUE_SECONDS,
  ) {
    this.tokens = this.burst;
    this.refilledAtMs = nowMs;
  }

  private get burst(): number {
    return Math.max(1, this.ratePerSecond);
  }

  /** Milliseconds the request is held before it is served, or `'refused'` when the queue is full. */
  admit(nowMs: number, cost = 1): number | 'refused' {
    const rate = this.ratePerSecond;
    this.tokens = Math.min(this.burst, this.tokens + ((nowMs - this.refilledAtMs) / 1000) * rate);
    this.refilledAtMs = nowMs;
    if (this.tokens >= cost) {
      this.tokens -= cost;
      return 0;
    }
    const waitMs = Math.ceil(((cost - this.tokens) / rate) * 1000);
    if (waitMs > Math.max(this.queueSeconds * 1000, (cost / rate) * 1000)) {
      this.refused += 1;
      return 'refused';
    }
    this.tokens -= cost;
    this.shaped += 1;
    return waitMs;
  }
}

export interface HubThrottleSettings {
  sku: HubSku;
  units: number;
}

/** The throttles of every kind for one hub; `null` settings throttle nothing. */
export class HubThrottle {
  private throttles: Map<ThrottleKind, OperationThrottle> | null = null;
  private current: HubThrottleSettings | null = null;

  constructor(settings: HubThrottleSettings | null) {
    this.configure(settings);
  }

  get settings(): HubThrottleSettings | null {
    return this.current;
  }

  configure(settings: HubThrottleSettings | null, nowMs: number = Date.now()): void {
    this.current = settings;
    if (!settings) {
      this.throttles = null;
      return;
    }
    const rates = throttleRates(settings.sku, settings.units);
    this.throttles = new Map(THROTTLE_KINDS.map((kind) => [kind, new OperationThrottle(rates[kind], nowMs)]));
  }

  admit(kind: ThrottleKind, nowMs: number, cost = 1): number | 'refused' {
    return this.throttles?.get(kind)?.admit(nowMs, cost) ?? 0;
  }

  /** Per kind: its rate, requests slowed down and requests refused since configured. */
  stats(): Partial<Record<ThrottleKind, { ratePerSecond: number; shaped: number; refused: number }>> {
    const stats: Partial<Record<ThrottleKind, { ratePerSecond: number; shaped: number; refused: number }>> = {};
    for (const [kind, throttle] of this.throttles ?? []) {
      stats[kind] = { ratePerSecond: Math.round(throttle.ratePerSecond * 1000) / 1000, shaped: throttle.shaped, refused: throttle.refused };
    }
    return stats;
  }
}

/** The throttle a hub request counts against, from its method and path; `null` for none. */
export function throttleKindOf(method: string, path: string): ThrottleKind | null {
  if (path.startsWith('/twins/')) {
    if (path.endsWith('/methods')) return 'method';
    return method === 'GET' ? 'twin-read' : 'twin-update';
  }
  if (path === '/devices/query') return 'query';
  // Creating, reading, listing and cancelling jobs; the device operations a job runs are paced by the job runner.
  if (path.startsWith('/jobs/')) return 'job';
  if (path.startsWith('/devices') || path.startsWith('/statistics/')) return 'registry';
  return null;
}

/** 4 KB meters of a direct method call of `bytes` bytes (at least one). */
export function methodMeters(bytes: number): number {
  return Math.max(1, Math.ceil(bytes / METHOD_METER_BYTES));
}
