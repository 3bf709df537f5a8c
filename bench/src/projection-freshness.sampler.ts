import { Admin, Kafka, logLevel } from 'kafkajs';
import { kafkaClientConfig } from '@fleetjobs/messaging';
import type { BenchKafka } from './kafka-floor.runner';
import { percentile, WatermarkHistory } from './watermark-history';

export interface FreshnessReport {
  /** How the age was obtained, or why there is none. */
  method: string;
  groups: string[];
  intervalMs: number;
  samples: number;
  p50Ms: number | null;
  p99Ms: number | null;
  maxMs: number | null;
  maxLagMessages: number | null;
}

export interface FreshnessSampler {
  stop(): Promise<FreshnessReport>;
}

/**
 * Age of the oldest event the projection has not yet processed, every `intervalMs`: per
 * partition of the projection's topics whose committed offset is below the high watermark,
 * now minus the write time of the message at the committed offset, dated from the sampled
 * history of high watermarks (`WatermarkHistory`, within half an interval) rather than by
 * fetching that message. The sample is the largest age over all partitions, 0 without lag.
 */
export async function startKafkaFreshnessSampler(options: BenchKafka & {
  namespace: string;
  topics: string[];
  /** The projection's consumer group before namespacing (`projection`, or `projection.<generation>` after a rebuild). */
  group: string;
  intervalMs: number;
}): Promise<FreshnessSampler> {
  const kafka = new Kafka({ ...kafkaClientConfig({ ...options, clientId: 'fleetjobs-bench-freshness' }), logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  const topics = options.topics.map((topic) => `${options.namespace}.${topic}`);
  const history = new WatermarkHistory();
  const ages: number[] = [];
  let maxLag = 0;
  let groups: string[] = [];
  let running = true;

  const sample = async () => {
    if (groups.length === 0) groups = await projectionGroups(admin, `${options.namespace}.${options.group}`);
    for (const topic of topics) {
      const offsets = await admin.fetchTopicOffsets(topic);
      const at = Date.now();
      for (const { partition, high } of offsets) history.record(`${topic}/${partition}`, Number(high), at);
    }
    if (groups.length === 0) return;
    let age = 0;
    let lag = 0;
    const now = Date.now();
    for (const groupId of groups) {
      for (const { topic, partitions } of await admin.fetchOffsets({ groupId, topics })) {
        for (const { partition, offset } of partitions) {
          const key = `${topic}/${partition}`;
          const high = history.latest(key);
          const committed = Number(offset);
          if (high === null || committed < 0 || committed >= high) continue;
          lag += high - committed;
          const writtenAt = history.writtenAt(key, committed);
          if (writtenAt !== null) age = Math.max(age, now - writtenAt);
        }
      }
    }
    ages.push(age);
    maxLag = Math.max(maxLag, lag);
  };

  const loop = (async () => {
    while (running) {
      const started = Date.now();
      await sample().catch((error: unknown) => console.warn(`freshness sample failed: ${String(error)}`));
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, options.intervalMs - (Date.now() - started))));
    }
  })();

  return {
    stop: async () => {
      running = false;
      await loop;
      await admin.disconnect();
      return {
        method: `Kafka admin: committed offset vs high watermark per partition, message age from the sampled high-watermark history (±${options.intervalMs / 2} ms)`,
        groups,
        intervalMs: options.intervalMs,
        samples: ages.length,
        p50Ms: percentile(ages, 50),
        p99Ms: percentile(ages, 99),
        maxMs: percentile(ages, 100),
        maxLagMessages: maxLag,
      };
    },
  };
}

/** The projection's live consumer groups: `<ns>.projection` or a rebuild's `<ns>.projection.<generation>`, stable ones first. */
async function projectionGroups(admin: Admin, group: string): Promise<string[]> {
  const { groups } = await admin.listGroups();
  const candidates = groups.map((entry) => entry.groupId).filter((id) => id === group || id.startsWith(`${group}.`));
  if (candidates.length <= 1) return candidates;
  const described = await admin.describeGroups(candidates);
  const stable = described.groups.filter((entry) => entry.state === 'Stable' && entry.members.length > 0).map((entry) => entry.groupId);
  return stable.length ? stable : candidates;
}

/**
 * Embedded: the event log lives inside the process (PGlite), so only its lag in messages is
 * visible, from `/metrics` (`fleetjobs_consumer_lag_messages` of the projection's group); each
 * scrape runs a query inside the measured process, hence the longer interval.
 */
export function startMetricsLagSampler(options: { baseUrl: string; intervalMs: number }): FreshnessSampler {
  const lags: number[] = [];
  let running = true;
  const sample = async () => {
    const text = await (await fetch(`${options.baseUrl}/metrics`, { signal: AbortSignal.timeout(5000) })).text();
    let lag = 0;
    let found = false;
    for (const line of text.split('\n')) {
      const match = /^fleetjobs_consumer_lag_messages\{[^}]*group="([^"]*projection[^"]*)"[^}]*\}\s+(\S+)/.exec(line);
      if (match && Number.isFinite(Number(match[2]))) {
        lag += Number(match[2]);
        found = true;
      }
    }
    if (found) lags.push(lag);
  };
  const loop = (async () => {
    while (running) {
      const started = Date.now();
      await sample().catch(() => undefined);
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, options.intervalMs - (Date.now() - started))));
    }
  })();
  return {
    stop: async () => {
      running = false;
      await loop;
      const p = (q: number) => percentile(lags, q);
      return {
        method: `n/a for the age: the embedded event log is inside the process; lag in messages from /metrics every ${options.intervalMs} ms (p50 ${p(50) ?? '?'}, p99 ${p(99) ?? '?'})`,
        groups: ['projection'],
        intervalMs: options.intervalMs,
        samples: lags.length,
        p50Ms: null,
        p99Ms: null,
        maxMs: null,
        maxLagMessages: lags.length ? Math.max(...lags) : null,
      };
    },
  };
}
