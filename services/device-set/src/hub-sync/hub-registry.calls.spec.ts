import { DeviceGateway, HubDevice, HubThrottledError } from '@fleetjobs/device-gateway';
import { deviceSetMetrics } from '../device-set.metrics';
import { HubRegistryCalls } from './hub-registry.calls';
import { HubSyncConfig } from './hub-sync.config';

const config: HubSyncConfig = { retryWindowMs: 10_000, initialBackoffMs: 100, maxBackoffMs: 1_000, maxThrottleWaitMs: 5_000, leaseMs: 30_000 };
const refusal = () => new Error('bulk create failed (HTTP 400)', { cause: Object.assign(new Error('x'), { response: { statusCode: 400 } }) });
const unreachable = () => new Error('no response', { cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }) });
const devices = (count: number): HubDevice[] =>
  Array.from({ length: count }, (_, i) => ({ deviceId: `d${String(i).padStart(3, '0')}`, displayName: null, template: 'vm', tags: {} }));

/** A hub whose answer to each call is decided by the test; time passes only in pauses. */
function harness(answer: (ids: string[]) => Error | null) {
  let clock = 0;
  const calls: string[][] = [];
  const upsert = async (batch: HubDevice[]) => {
    const ids = batch.map((device) => device.deviceId);
    calls.push(ids);
    const error = answer(ids);
    if (error) throw error;
  };
  const gateway = { upsertDevices: upsert, deleteDevices: (ids: string[]) => upsert(ids.map((deviceId) => ({ deviceId }) as HubDevice)) };
  const hubCalls = new HubRegistryCalls(gateway as unknown as DeviceGateway, config, { pause: async (ms) => void (clock += ms) }, () => clock);
  return { hubCalls, calls, elapsed: () => clock };
}

describe('HubRegistryCalls', () => {
  it('writes a call that succeeds once', async () => {
    const { hubCalls, calls } = harness(() => null);
    expect(await hubCalls.upsert(devices(3))).toEqual({ done: ['d000', 'd001', 'd002'], failed: [] });
    expect(calls).toHaveLength(1);
  });

  it('isolates a device the hub refuses; the others reach the hub without waiting', async () => {
    const { hubCalls, elapsed } = harness((ids) => (ids.includes('d037') ? refusal() : null));
    const result = await hubCalls.upsert(devices(100));
    expect(result.done).toHaveLength(99);
    expect(result.failed).toEqual([{ deviceId: 'd037', cause: 'refused', reason: 'bulk create failed (HTTP 400)' }]);
    expect(elapsed()).toBe(0);
  });

  it('waits out throttling and succeeds, counting each 429 on /metrics', async () => {
    let throttles = 3;
    const { hubCalls, elapsed } = harness(() => (throttles-- > 0 ? new HubThrottledError(1_000) : null));
    const counted = async () => (await deviceSetMetrics.hubThrottled.get()).values[0]?.value ?? 0;
    const before = await counted();
    expect((await hubCalls.upsert(devices(2))).failed).toEqual([]);
    expect(elapsed()).toBe(3_000);
    expect(await counted()).toBe(before + 3);
  });

  it('gives up on a device that alone keeps failing once the window closes, and splits it off from the others', async () => {
    const { hubCalls, elapsed } = harness((ids) => (ids.includes('d005') ? unreachable() : null));
    const result = await hubCalls.upsert(devices(10));
    expect(elapsed()).toBeGreaterThanOrEqual(config.retryWindowMs);
    expect(result.done).toHaveLength(9);
    expect(result.failed).toEqual([expect.objectContaining({ deviceId: 'd005', cause: 'retries-exhausted' })]);
  });

  it('when the hub is down, spends one window, does not split, then tries later calls once each until one succeeds', async () => {
    let down = true;
    const { hubCalls, calls, elapsed } = harness(() => (down ? unreachable() : null));
    const first = await hubCalls.upsert(devices(100));
    expect(first.failed).toHaveLength(100);
    const afterFirst = calls.length;
    expect(afterFirst).toBeLessThan(20);

    const windowSpent = elapsed();
    expect((await hubCalls.upsert(devices(100))).failed).toHaveLength(100);
    expect(calls.length).toBe(afterFirst + 1);
    expect(elapsed()).toBe(windowSpent);

    down = false;
    expect((await hubCalls.upsert(devices(5))).done).toHaveLength(5);
    down = true;
    await hubCalls.upsert(devices(1));
    expect(elapsed()).toBeGreaterThanOrEqual(windowSpent + config.retryWindowMs);
  });

  it('deletes with the same rules', async () => {
    const { hubCalls } = harness((ids) => (ids.includes('gone-2') ? refusal() : null));
    expect(await hubCalls.delete(['gone-1', 'gone-2', 'gone-3'])).toEqual({
      done: ['gone-1', 'gone-3'],
      failed: [{ deviceId: 'gone-2', cause: 'refused', reason: 'bulk create failed (HTTP 400)' }],
    });
  });
});
