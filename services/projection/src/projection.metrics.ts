import { Counter, Gauge, Histogram, Metric, register } from 'prom-client';

// Several apps may live in one process (the embedded mode, tests): each metric is registered once.
function once<T extends Metric>(name: string, create: () => T): T {
  return (register.getSingleMetric(name) as T | undefined) ?? create();
}

export const projectedEvents = once(
  'fleetjobs_projection_events_total',
  () => new Counter({ name: 'fleetjobs_projection_events_total', help: 'Events applied to the read models', labelNames: ['topic'] }),
);

export const batchSeconds = once(
  'fleetjobs_projection_batch_seconds',
  () =>
    new Histogram({
      name: 'fleetjobs_projection_batch_seconds',
      help: 'Time to apply one consumed batch to the read models',
      labelNames: ['topic'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    }),
);

export const openJobStreams = once(
  'fleetjobs_projection_open_job_streams',
  () => new Gauge({ name: 'fleetjobs_projection_open_job_streams', help: 'Live job streams (SSE) currently open' }),
);
