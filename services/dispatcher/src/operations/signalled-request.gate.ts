import { DeviceRequestGate } from './device-request.gate';

/**
 * The gate of one claimed device that also tells what the device's run said for an adaptive
 * rate: the 429s the hub answered, and how long requests waited in the gate itself (the rate
 * limit, the permit, the confirmation), so that device latency leaves that time out.
 */
export class SignalledRequestGate extends DeviceRequestGate {
  throttles = 0;
  waitedMs = 0;

  override async beforeRead(): Promise<void> {
    const since = Date.now();
    try {
      await super.beforeRead();
    } finally {
      this.waitedMs += Date.now() - since;
    }
  }

  override async beforeMutation(): Promise<void> {
    const since = Date.now();
    try {
      await super.beforeMutation();
    } finally {
      this.waitedMs += Date.now() - since;
    }
  }

  override throttled(retryAfterMs: number): void {
    this.throttles += 1;
    super.throttled(retryAfterMs);
  }
}
