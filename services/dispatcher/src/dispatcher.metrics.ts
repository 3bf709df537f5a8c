import { Counter, Gauge, Histogram, register } from 'prom-client';

function once<T>(name: string, create: () => T): T {
  return (register.getSingleMetric(name) as T | undefined) ?? create();
}

/** Prometheus metrics of device operations. */
export const dispatcherMetrics = {
  operations: once('fleetjobs_device_operations_total', () => new Counter({
    name: 'fleetjobs_device_operations_total',
    help: 'Device operations carried out, by operation type and outcome',
    labelNames: ['type', 'outcome'],
  })),
  operationSeconds: once('fleetjobs_device_operation_seconds', () => new Histogram({
    name: 'fleetjobs_device_operation_seconds',
    help: 'Time one device operation took, hub round trips and acknowledgement included',
    labelNames: ['type'],
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
  })),
  outcomes: once('fleetjobs_device_outcomes_total', () => new Counter({
    name: 'fleetjobs_device_outcomes_total',
    help: 'Devices of jobs concluded, by result (succeeded, failed) and, for a failure, its kind (offline, timeout, rejected, hub, throttled; none for a success)',
    labelNames: ['result', 'kind'],
  })),
  inFlight: once('fleetjobs_device_operations_in_flight', () => new Gauge({
    name: 'fleetjobs_device_operations_in_flight',
    help: 'Devices this process is working on right now',
  })),
  throttled: once('fleetjobs_hub_throttled_total', () => new Counter({
    name: 'fleetjobs_hub_throttled_total',
    help: 'Calls the hub refused with 429',
  })),
  slotsLost: once('fleetjobs_hub_send_slots_lost_total', () => new Counter({
    name: 'fleetjobs_hub_send_slots_lost_total',
    help: 'Send slots of the hub-wide rate limit this process held but could not use in time or lost to a 429 pause',
  })),
  orphans: once('fleetjobs_device_operations_orphaned_total', () => new Counter({
    name: 'fleetjobs_device_operations_orphaned_total',
    help: 'In-flight operations concluded as unknown after their dispatcher stopped',
  })),
  rolloutRateChanges: once('fleetjobs_rollout_rate_changes_total', () => new Counter({
    name: 'fleetjobs_rollout_rate_changes_total',
    help: 'Changes of a rollout job\'s rate, by reason: start, fixed, ramp, healthy, throttled, failures, latency',
    labelNames: ['reason'],
  })),
  rolloutRate: once('fleetjobs_rollout_rate_per_minute', () => new Gauge({
    name: 'fleetjobs_rollout_rate_per_minute',
    help: 'The rate each unfinished rollout job with a rate runs at now, in device operations per minute',
    labelNames: ['job'],
    async collect() {
      this.reset();
      const rows = await (readRolloutRates?.() ?? Promise.resolve([])).catch(() => []);
      for (const row of rows) this.set({ job: row.jobId }, row.ratePerMinute);
    },
  })),
};

type RolloutRates = () => Promise<{ jobId: string; ratePerMinute: number }[]>;
let readRolloutRates: RolloutRates | null = null;

/** Where the rate gauge reads the jobs' rates when scraped: from the shared table, so every dispatcher shows the same. */
export function readRolloutRatesWith(read: RolloutRates | null): void {
  readRolloutRates = read;
}
