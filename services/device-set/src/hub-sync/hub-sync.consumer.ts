import { Controller, Inject, Logger, OnModuleDestroy, Optional } from '@nestjs/common';
import { FleetEvent, TOPICS } from '@fleetjobs/contracts';
import { DEVICE_GATEWAY, DeviceGateway, HubThrottledError } from '@fleetjobs/device-gateway';
import { ConsumedMessage, ConsumeEvents } from '@fleetjobs/messaging';
import { parseOrSkip } from '../shared/parse-or-skip';
import { HubRegistryCall, planHubSync } from './hub-sync.plan';

const MIN_THROTTLE_WAIT_MS = 10;
const MAX_THROTTLE_WAIT_MS = 30_000;

/**
 * Keeps the hub's registry in step with devices changed through the API (group
 * `device-set.hub-sync`). Each batch collapses to the last state of each device; registry calls
 * are idempotent, so a redelivered batch repeats them harmlessly. Throttling is waited out and
 * the call retried for as long as it lasts; any other failure rejects the batch, which is then
 * delivered again. On shutdown a throttled batch is handed back undone instead of waiting.
 */
@Controller()
export class HubSyncConsumer implements OnModuleDestroy {
  private readonly logger = new Logger(HubSyncConsumer.name);
  private stopping = false;
  private readonly sleepers = new Set<() => void>();

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
    for (const call of calls) await this.callUntilNotThrottled(this.gateway, call);
  }

  onModuleDestroy(): void {
    this.stopping = true;
    for (const wake of this.sleepers) wake();
  }

  private async callUntilNotThrottled(gateway: DeviceGateway, call: HubRegistryCall): Promise<void> {
    for (;;) {
      try {
        if (call.kind === 'upsert') await gateway.upsertDevices(call.devices);
        else await gateway.deleteDevices(call.deviceIds);
        return;
      } catch (error) {
        if (!(error instanceof HubThrottledError) || this.stopping) throw error;
        await this.sleep(Math.min(Math.max(error.retryAfterMs, MIN_THROTTLE_WAIT_MS), MAX_THROTTLE_WAIT_MS));
      }
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.sleepers.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      this.sleepers.add(wake);
    });
  }
}
