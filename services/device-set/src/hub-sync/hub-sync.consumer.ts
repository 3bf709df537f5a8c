import { Controller, Inject, Logger, Optional } from '@nestjs/common';
import { FleetEvent, TOPICS } from '@fleetjobs/contracts';
import { DEVICE_GATEWAY, DeviceGateway, HubThrottledError } from '@fleetjobs/device-gateway';
import { ConsumedMessage, ConsumeEvents } from '@fleetjobs/messaging';
import { parseOrSkip } from '../shared/parse-or-skip';
import { HubRegistryCall, planHubSync } from './hub-sync.plan';

/** Throttled calls are retried this many times before the batch is handed back for redelivery. */
const MAX_THROTTLED_ATTEMPTS = 20;
const MAX_THROTTLE_WAIT_MS = 30_000;

/**
 * Keeps the hub's registry in step with devices changed through the API (group
 * `device-set.hub-sync`). Each batch collapses to the last state of each device; calls are
 * idempotent, so a redelivered batch repeats them harmlessly. Throttling waits and retries;
 * any other failure rejects the batch, which is then delivered again.
 */
@Controller()
export class HubSyncConsumer {
  private readonly logger = new Logger(HubSyncConsumer.name);

  constructor(@Optional() @Inject(DEVICE_GATEWAY) private readonly gateway?: DeviceGateway) {}

  @ConsumeEvents(TOPICS.devices, 'device-set.hub-sync')
  async handle(batch: ConsumedMessage[]): Promise<void> {
    const events = batch.map((message) => parseOrSkip(message, this.logger)).filter((event): event is FleetEvent => event !== null);
    const calls = planHubSync(events);
    if (calls.length === 0) return;
    if (!this.gateway) {
      this.logger.warn(`no hub is configured; ${calls.length} registry calls not made`);
      return;
    }
    for (const call of calls) await this.callWithRetry(this.gateway, call);
  }

  private async callWithRetry(gateway: DeviceGateway, call: HubRegistryCall): Promise<void> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        if (call.kind === 'upsert') await gateway.upsertDevices(call.devices);
        else await gateway.deleteDevices(call.deviceIds);
        return;
      } catch (error) {
        if (!(error instanceof HubThrottledError) || attempt >= MAX_THROTTLED_ATTEMPTS) throw error;
        await new Promise((resolve) => setTimeout(resolve, Math.min(Math.max(error.retryAfterMs, 10), MAX_THROTTLE_WAIT_MS)));
      }
    }
  }
}
