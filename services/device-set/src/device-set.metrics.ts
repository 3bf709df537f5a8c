import { Counter, register } from 'prom-client';

function once<T>(name: string, create: () => T): T {
  return (register.getSingleMetric(name) as T | undefined) ?? create();
}

/** Prometheus metrics of the device-set service. */
export const deviceSetMetrics = {
  hubSynced: once('fleetjobs_hub_sync_devices_total', () => new Counter({
    name: 'fleetjobs_hub_sync_devices_total',
    help: 'Devices written to or deleted from the hub registry, by who wrote them (background sync or job targets)',
    labelNames: ['source', 'operation'],
  })),
  hubLeaseWaits: once('fleetjobs_hub_sync_lease_waits_total', () => new Counter({
    name: 'fleetjobs_hub_sync_lease_waits_total',
    help: 'Times a hub writer waited for devices another writer was writing to the hub',
    labelNames: ['source'],
  })),
  // The dispatcher's counter of the same name and help: the hub's 429s, whichever process called it.
  hubThrottled: once('fleetjobs_hub_throttled_total', () => new Counter({
    name: 'fleetjobs_hub_throttled_total',
    help: 'Calls the hub refused with 429',
  })),
  hubDeadLetters: once('fleetjobs_hub_sync_dead_letters_total', () => new Counter({
    name: 'fleetjobs_hub_sync_dead_letters_total',
    help: 'Devices the hub sync gave up on (recorded in device_set.hub_sync_failures), by source and cause',
    labelNames: ['source', 'cause'],
  })),
};
