import { Inject, Injectable } from '@nestjs/common';
import { JobOperation } from '@fleetjobs/contracts';
import { DEVICE_GATEWAY, DeviceGateway, HubThrottledError, OperationOutcome } from '@fleetjobs/device-gateway';
import { DISPATCHER_CONFIG, DispatcherConfig } from '../dispatcher.config';
import { ClaimedWork, DeviceOutcome } from '../work/dispatch-events';
import { DispatchWorkRepository } from '../work/dispatch-work.repository';
import { dispatcherMetrics } from '../dispatcher.metrics';
import { HubRateLimiter } from './hub-rate.limiter';

/** Refused connections never reached the hub, so retrying them cannot run an operation twice. */
const RETRYABLE_CODES = new Set(['ECONNREFUSED']);
const MAX_TRANSPORT_RETRIES = 5;

/** Carries out every operation of a job on one device, in order, and says how it ended. */
@Injectable()
export class DeviceOperationRunner {
  private readonly limiter: HubRateLimiter;

  constructor(
    @Inject(DEVICE_GATEWAY) private readonly gateway: DeviceGateway,
    @Inject(DISPATCHER_CONFIG) private readonly config: DispatcherConfig,
    private readonly work: DispatchWorkRepository,
  ) {
    this.limiter = new HubRateLimiter(config.hubRateLimitPerSecond);
  }

  /** `onSent` is called once, as soon as the device's first hub request has been issued. */
  async run(unit: ClaimedWork, onSent: () => void = () => undefined): Promise<DeviceOutcome> {
    const { jobId, deviceId, operations } = unit;
    let sent = false;
    const markSent = () => {
      if (!sent) onSent();
      sent = true;
    };
    for (const [index, operation] of operations.entries()) {
      // The first operation was cleared by the claim; later ones must not start after a stop.
      if (index > 0 && (await this.work.isHalted(jobId))) {
        return { jobId, deviceId, ok: false, error: `the job was stopped after ${index} of ${operations.length} operations` };
      }
      const outcome = await this.runOne(deviceId, operation, markSent);
      dispatcherMetrics.operations.inc({ type: operation.type, outcome: outcome.ok ? 'succeeded' : 'failed' });
      if (!outcome.ok) {
        const prefix = operations.length > 1 ? `${operation.type} ${operation.name}: ` : '';
        return { jobId, deviceId, ok: false, error: `${prefix}${outcome.error}` };
      }
    }
    return { jobId, deviceId, ok: true, error: null };
  }

  private async runOne(deviceId: string, operation: JobOperation, onSent: () => void): Promise<OperationOutcome> {
    for (let attempt = 1; ; attempt += 1) {
      await this.limiter.acquire();
      const stopTimer = dispatcherMetrics.operationSeconds.startTimer({ type: operation.type });
      try {
        const call = this.call(deviceId, operation);
        // The SDK writes the request before returning its promise; defer to let the write leave.
        setImmediate(onSent);
        return await call;
      } catch (error) {
        if (error instanceof HubThrottledError) {
          dispatcherMetrics.throttled.inc();
          this.limiter.pause(error.retryAfterMs + Math.floor(Math.random() * 100));
          continue;
        }
        const code = (error as { code?: string }).code;
        if (code && RETRYABLE_CODES.has(code) && attempt < MAX_TRANSPORT_RETRIES) {
          await new Promise((resolve) => setTimeout(resolve, 200 * 2 ** attempt));
          continue;
        }
        return { ok: false, error: `the hub could not be reached: ${(error as Error).message ?? String(error)}` };
      } finally {
        stopTimer();
      }
    }
  }

  private call(deviceId: string, operation: JobOperation): Promise<OperationOutcome> {
    switch (operation.type) {
      case 'property':
        return this.gateway.applyProperty(deviceId, operation.name, operation.value);
      case 'setting':
        return this.gateway.applySetting(deviceId, operation.name, operation.value, {
          ackTimeoutMs: this.config.settingAckTimeoutMs,
        });
      case 'command':
        return this.gateway.invokeCommand(deviceId, operation.name, operation.value, {
          responseTimeoutMs: this.config.commandTimeoutMs,
        });
    }
  }
}
