import { Gauge, register } from 'prom-client';
import { LivenessRegistry, ReadinessRegistry } from '@fleetjobs/http-kit';
import { ConsumerLiveness, EventLogServer } from '@fleetjobs/messaging';

/**
 * Health of a process's consumers: readiness wants every subscription running (joined and
 * fetching); liveness fails once one has died (failed for good, or down past a grace period
 * after it had run), not while it joins or rebalances.
 */
export function registerConsumerHealth(
  server: EventLogServer,
  registries: { readiness: ReadinessRegistry; liveness: LivenessRegistry },
  downGraceMs?: number,
): ConsumerLiveness {
  registries.readiness.add({
    name: 'consumers',
    check: async () => server.activeSubscriptions.every((subscription) => subscription.isRunning()),
  });
  const liveness = new ConsumerLiveness(() => server.activeSubscriptions, downGraceMs);
  registries.liveness.add({ name: 'consumers', check: liveness.check });
  return liveness;
}

/**
 * Exposes each consumer group's lag (messages written but not yet committed) and whether its
 * consumer runs, computed when Prometheus scrapes.
 */
export function registerConsumerMetrics(server: EventLogServer): void {
  if (register.getSingleMetric('fleetjobs_consumer_lag_messages')) return;
  new Gauge({
    name: 'fleetjobs_consumer_lag_messages',
    help: 'Messages of the subscribed topics not yet committed by the consumer group',
    labelNames: ['group'],
    async collect() {
      for (const subscription of server.activeSubscriptions) {
        const lag = await subscription.lag().catch(() => NaN);
        this.set({ group: subscription.groupId }, lag);
      }
    },
  });
  new Gauge({
    name: 'fleetjobs_consumer_running',
    help: '1 when the consumer group member of this process is running',
    labelNames: ['group'],
    collect() {
      for (const subscription of server.activeSubscriptions) {
        this.set({ group: subscription.groupId }, subscription.isRunning() ? 1 : 0);
      }
    },
  });
}
