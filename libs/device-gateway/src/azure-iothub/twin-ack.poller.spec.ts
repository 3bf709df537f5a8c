import { HubThrottledError } from '../device-gateway.port';
import { JsonObject } from './json-merge-patch';
import { pollForSettingAck, settingAckOf } from './twin-ack.poller';

describe('settingAckOf', () => {
  it('accepts an acknowledgement at or after the desired version', () => {
    expect(settingAckOf({ fanSpeed: { value: 3, ac: 200, av: 4, ad: 'completed' } }, 'fanSpeed', 4)).toEqual({
      acknowledged: true,
      ac: 200,
      ad: 'completed',
    });
    expect(settingAckOf({ fanSpeed: { ac: 400, av: 5 } }, 'fanSpeed', 4)).toEqual({ acknowledged: true, ac: 400, ad: null });
  });

  it('ignores older, partial or missing acknowledgements', () => {
    expect(settingAckOf({ fanSpeed: { value: 3, ac: 200, av: 3 } }, 'fanSpeed', 4)).toEqual({ acknowledged: false });
    expect(settingAckOf({ fanSpeed: 3 }, 'fanSpeed', 4)).toEqual({ acknowledged: false });
    expect(settingAckOf({ fanSpeed: { av: 4 } }, 'fanSpeed', 4)).toEqual({ acknowledged: false });
    expect(settingAckOf(undefined, 'fanSpeed', 1)).toEqual({ acknowledged: false });
  });
});

describe('pollForSettingAck', () => {
  const options = { initialIntervalMs: 100, maxIntervalMs: 1000, timeoutMs: 10_000 };
  const acked: JsonObject = { mode: { value: 'eco', ac: 200, av: 7, ad: 'completed' } };
  const older: JsonObject = { mode: { value: 'eco', ac: 200, av: 6, ad: 'completed' } };

  beforeEach(() => jest.useFakeTimers({ now: 1_000_000 }));
  afterEach(() => jest.useRealTimers());

  /** A reader that answers from `script` in order (a function throws), noting when each read happened. */
  function scriptedReader(script: (JsonObject | (() => never))[]) {
    const readAt: number[] = [];
    const read = async (): Promise<JsonObject> => {
      readAt.push(Date.now());
      const next = script[Math.min(readAt.length, script.length) - 1];
      return typeof next === 'function' ? next() : next;
    };
    return { read, readAt };
  }

  const throttled = (retryAfterMs: number) => (): never => {
    throw new HubThrottledError(retryAfterMs);
  };

  it('reads until the acknowledgement reaches the version, ignoring an older one', async () => {
    const reader = scriptedReader([{}, older, acked]);
    const result = pollForSettingAck(reader.read, 'mode', 7, options);
    await jest.advanceTimersByTimeAsync(10_000);
    await expect(result).resolves.toEqual({ acknowledged: true, ac: 200, ad: 'completed' });
    expect(reader.readAt.map((at) => at - 1_000_000)).toEqual([100, 250, 475]);
  });

  it('waits out the Retry-After of a throttled read and polls again instead of failing', async () => {
    const reader = scriptedReader([throttled(2000), throttled(50), older, acked]);
    const result = pollForSettingAck(reader.read, 'mode', 7, options);
    await jest.advanceTimersByTimeAsync(10_000);
    await expect(result).resolves.toEqual({ acknowledged: true, ac: 200, ad: 'completed' });
    // 100 ms first interval, then Retry-After 2000 ms, then never faster than the interval (100 ms).
    expect(reader.readAt.map((at) => at - 1_000_000)).toEqual([100, 2100, 2200, 2350]);
  });

  it('throttled past the deadline, reads on for at most another timeout before saying the device did not acknowledge', async () => {
    const reader = scriptedReader([throttled(3000)]);
    let settled: unknown = 'pending';
    const result = pollForSettingAck(reader.read, 'mode', 7, { ...options, timeoutMs: 5000 }).then(
      (outcome) => (settled = outcome),
      (error: unknown) => (settled = error),
    );
    await jest.advanceTimersByTimeAsync(9999);
    expect(settled).toBe('pending');
    await jest.advanceTimersByTimeAsync(1);
    await result;
    expect(settled).toEqual({ acknowledged: false });
    expect(reader.readAt.map((at) => at - 1_000_000)).toEqual([100, 3100, 5000, 8000, 10_000]);
  });

  it('throttled at the deadline, takes the acknowledgement the first answered read after it shows', async () => {
    const reader = scriptedReader([{}, throttled(2000), throttled(2000), throttled(2000), acked]);
    const result = pollForSettingAck(reader.read, 'mode', 7, { ...options, timeoutMs: 3000 });
    await jest.advanceTimersByTimeAsync(10_000);
    await expect(result).resolves.toEqual({ acknowledged: true, ac: 200, ad: 'completed' });
    expect(reader.readAt.map((at) => at - 1_000_000)).toEqual([100, 250, 2250, 3000, 5000]);
  });

  it('says not acknowledged once a read at the deadline is answered without the acknowledgement', async () => {
    const reader = scriptedReader([{}]);
    const result = pollForSettingAck(reader.read, 'mode', 7, { ...options, timeoutMs: 1000 });
    await jest.advanceTimersByTimeAsync(1000);
    await expect(result).resolves.toEqual({ acknowledged: false });
    expect(reader.readAt.at(-1)! - 1_000_000).toBe(1000);
  });

  it('does not outwait the deadline for a Retry-After longer than the time left', async () => {
    const reader = scriptedReader([throttled(60_000), acked]);
    const result = pollForSettingAck(reader.read, 'mode', 7, { ...options, timeoutMs: 1000 });
    await jest.advanceTimersByTimeAsync(1000);
    await expect(result).resolves.toEqual({ acknowledged: true, ac: 200, ad: 'completed' });
    expect(reader.readAt.map((at) => at - 1_000_000)).toEqual([100, 1000]);
  });

  it('lets other read failures propagate', async () => {
    const reader = scriptedReader([
      () => {
        throw new Error('connection reset');
      },
    ]);
    const result = pollForSettingAck(reader.read, 'mode', 7, options);
    const assertion = expect(result).rejects.toThrow('connection reset');
    await jest.advanceTimersByTimeAsync(100);
    await assertion;
  });
});
