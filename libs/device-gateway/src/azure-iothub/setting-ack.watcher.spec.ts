import { HubThrottledError, RequestGate } from '../device-gateway.port';
import { openGate } from './gated-request';
import { JsonObject } from './json-merge-patch';
import { AckSource, SettingAckWatcher } from './setting-ack.watcher';

const T0 = 1_000_000;
const acked = (version: number, ac = 200): JsonObject => ({ mode: { value: 'eco', ac, av: version, ad: ac === 200 ? 'completed' : 'no' } });

/** A hub whose answers the test sets per device, noting every query and read. */
class ScriptedHub implements AckSource {
  readonly reported = new Map<string, JsonObject | (() => never)>();
  readonly queries: { at: number; ids: string[]; name?: string }[] = [];
  readonly reads: { at: number; id: string }[] = [];
  /** Thrown by the next queries, in order. */
  readonly queryFailures: (() => never)[] = [];

  async queryReported(deviceIds: string[], name: string, gate: RequestGate): Promise<Map<string, JsonObject>> {
    await gate.beforeRead();
    this.queries.push({ at: Date.now() - T0, ids: deviceIds, ...(name === 'mode' ? {} : { name }) });
    this.queryFailures.shift()?.();
    const found = new Map<string, JsonObject>();
    for (const id of deviceIds) {
      const answer = this.reported.get(id);
      if (answer && typeof answer !== 'function') found.set(id, answer);
    }
    return found;
  }

  async readReported(deviceId: string, gate: RequestGate): Promise<JsonObject> {
    await gate.beforeRead();
    this.reads.push({ at: Date.now() - T0, id: deviceId });
    const answer = this.reported.get(deviceId);
    if (answer === undefined) throw new Error(`device ${deviceId} not found`);
    return typeof answer === 'function' ? answer() : answer;
  }

  queryable(deviceId: string): boolean {
    return !deviceId.includes("'");
  }
}

const throttled = (retryAfterMs: number) => (): never => {
  throw new HubThrottledError(retryAfterMs);
};

/** A gate that counts reads (one hub request each) and notes the throttles it hears of, without pausing. */
function countingGate() {
  const inner = openGate();
  const counts = { reads: 0, throttled: [] as number[] };
  const gate: RequestGate = {
    beforeMutation: inner.beforeMutation,
    beforeRead: async () => {
      counts.reads += 1;
      await inner.beforeRead();
    },
    throttled: (ms) => counts.throttled.push(ms),
  };
  return { gate, counts };
}

describe('SettingAckWatcher', () => {
  let hub: ScriptedHub;
  let watcher: SettingAckWatcher;

  beforeEach(() => {
    jest.useFakeTimers({ now: T0 });
    hub = new ScriptedHub();
    watcher = new SettingAckWatcher(hub, { intervalMs: 100, maxDevicesPerQuery: 3 });
  });
  afterEach(() => jest.useRealTimers());

  it('asks about every waiting device with one query per batch and round, resolving each when its own acknowledgement appears', async () => {
    const ids = ['d1', 'd2', 'd3', 'd4'];
    for (const id of ids) hub.reported.set(id, {});
    const { gate, counts } = countingGate();
    const results = ids.map((id) => watcher.wait(id, 'mode', 7, gate, 10_000));
    await jest.advanceTimersByTimeAsync(100);
    expect(hub.queries).toEqual([
      { at: 100, ids: ['d1', 'd2', 'd3'] },
      { at: 100, ids: ['d4'] },
    ]);
    hub.reported.set('d1', acked(7));
    hub.reported.set('d2', acked(6)); // an older write's answer
    hub.reported.set('d4', acked(8, 400));
    await jest.advanceTimersByTimeAsync(100);
    await expect(results[0]).resolves.toEqual({ acknowledged: true, ac: 200, ad: 'completed' });
    await expect(results[3]).resolves.toEqual({ acknowledged: true, ac: 400, ad: 'no' });
    expect(watcher.waitingCount).toBe(2);
    hub.reported.set('d2', acked(7));
    hub.reported.set('d3', acked(7));
    await jest.advanceTimersByTimeAsync(100);
    await expect(results[1]).resolves.toMatchObject({ acknowledged: true });
    await expect(results[2]).resolves.toMatchObject({ acknowledged: true });
    // Four devices, three rounds: five queries, each one read through the gate; no twin read.
    expect(hub.queries.map((query) => query.at)).toEqual([100, 100, 200, 200, 300]);
    expect(counts.reads).toBe(5);
    expect(hub.reads).toEqual([]);
    expect(watcher.waitingCount).toBe(0);
  });

  it('holds a round at a deadline and says not acknowledged once a query at or past it was answered without it', async () => {
    hub.reported.set('late', {});
    const result = watcher.wait('late', 'mode', 7, openGate(), 250);
    await jest.advanceTimersByTimeAsync(250);
    await expect(result).resolves.toEqual({ acknowledged: false });
    expect(hub.queries.map((query) => query.at)).toEqual([100, 200, 250]);
  });

  it('a round held for a deadline asks only about the devices whose deadline came', async () => {
    hub.reported.set('short', {});
    hub.reported.set('long', {});
    const short = watcher.wait('short', 'mode', 7, openGate(), 150);
    void watcher.wait('long', 'mode', 7, openGate(), 10_000).catch(() => undefined);
    await jest.advanceTimersByTimeAsync(200);
    await expect(short).resolves.toEqual({ acknowledged: false });
    expect(hub.queries).toEqual([
      { at: 100, ids: ['short', 'long'] },
      { at: 150, ids: ['short'] },
      { at: 200, ids: ['long'] },
    ]);
    watcher.close(new Error('done'));
  });

  it('counts the deadline from when the operation started, not from when it began to wait', async () => {
    hub.reported.set('d', {});
    const result = watcher.wait('d', 'mode', 7, openGate(), 1000, T0 - 900);
    await jest.advanceTimersByTimeAsync(100);
    await expect(result).resolves.toEqual({ acknowledged: false });
  });

  it('waits out the Retry-After of a throttled query (never faster than the interval) and asks again instead of failing', async () => {
    hub.reported.set('d', {});
    hub.queryFailures.push(throttled(2000), throttled(50));
    const { gate, counts } = countingGate();
    const result = watcher.wait('d', 'mode', 7, gate, 10_000);
    await jest.advanceTimersByTimeAsync(2200);
    hub.reported.set('d', acked(7));
    await jest.advanceTimersByTimeAsync(100);
    await expect(result).resolves.toMatchObject({ acknowledged: true, ac: 200 });
    expect(hub.queries.map((query) => query.at)).toEqual([100, 2100, 2200, 2300]);
    // The hub throttles queries apart from the other requests: the gate's own requests are not slowed down.
    expect(counts.throttled).toEqual([]);
  });

  it('throttled past the deadline, asks on for at most another timeout before saying the device did not acknowledge', async () => {
    hub.reported.set('d', {});
    for (let i = 0; i < 10; i++) hub.queryFailures.push(throttled(3000));
    let settled: unknown = 'pending';
    const result = watcher.wait('d', 'mode', 7, countingGate().gate, 5000).then((outcome) => (settled = outcome));
    await jest.advanceTimersByTimeAsync(9999);
    expect(settled).toBe('pending');
    await jest.advanceTimersByTimeAsync(1);
    await result;
    expect(settled).toEqual({ acknowledged: false });
    expect(hub.queries.map((query) => query.at)).toEqual([100, 3100, 5000, 8000, 10_000]);
  });

  it('throttled at the deadline, takes the acknowledgement the first answered query after it shows', async () => {
    hub.reported.set('d', acked(7));
    hub.queryFailures.push(throttled(2000), throttled(2000));
    const result = watcher.wait('d', 'mode', 7, countingGate().gate, 1000);
    await jest.advanceTimersByTimeAsync(5000);
    await expect(result).resolves.toMatchObject({ acknowledged: true });
    expect(hub.queries.map((query) => query.at)).toEqual([100, 1000, 2000]);
  });

  it('reads a device the query does not return on its own: an unknown device fails, one not yet in the index is still watched', async () => {
    hub.reported.set('here', {});
    const { gate, counts } = countingGate();
    const gone = watcher.wait('gone', 'mode', 7, gate, 10_000);
    const assertion = expect(gone).rejects.toThrow('device gone not found');
    const here = watcher.wait('here', 'mode', 7, gate, 10_000);
    await jest.advanceTimersByTimeAsync(100);
    await assertion;
    expect(hub.reads).toEqual([{ at: 100, id: 'gone' }]);
    hub.reported.set('here', acked(7));
    await jest.advanceTimersByTimeAsync(100);
    await expect(here).resolves.toMatchObject({ acknowledged: true });
    expect(counts.reads).toBe(3);
  });

  it("reads a device whose id a query literal cannot carry on its own, each round", async () => {
    hub.reported.set("o'neil", {});
    const result = watcher.wait("o'neil", 'mode', 7, openGate(), 10_000);
    await jest.advanceTimersByTimeAsync(100);
    hub.reported.set("o'neil", acked(7));
    await jest.advanceTimersByTimeAsync(100);
    await expect(result).resolves.toMatchObject({ acknowledged: true });
    expect(hub.queries).toEqual([]);
    expect(hub.reads.map((read) => read.at)).toEqual([100, 200]);
  });

  it('a throttled twin read of a device read on its own tells its gate (twin reads share its throttle) and is read again', async () => {
    hub.reported.set("o'neil", throttled(300));
    const { gate, counts } = countingGate();
    const result = watcher.wait("o'neil", 'mode', 7, gate, 10_000);
    await jest.advanceTimersByTimeAsync(100);
    hub.reported.set("o'neil", acked(7));
    await jest.advanceTimersByTimeAsync(300);
    await expect(result).resolves.toMatchObject({ acknowledged: true });
    expect(counts.throttled).toEqual([300]);
    expect(hub.reads.map((read) => read.at)).toEqual([100, 400]);
  });

  it('fails the devices a query named when it fails otherwise than by throttling, and goes on for the others', async () => {
    const small = new SettingAckWatcher(hub, { intervalMs: 100, maxDevicesPerQuery: 1 });
    hub.reported.set('a', {});
    hub.reported.set('b', acked(7));
    hub.queryFailures.push(() => {
      throw new Error('connection reset');
    });
    const a = small.wait('a', 'mode', 7, openGate(), 10_000);
    const assertion = expect(a).rejects.toThrow('connection reset');
    const b = small.wait('b', 'mode', 7, openGate(), 10_000);
    await jest.advanceTimersByTimeAsync(100);
    await assertion;
    await expect(b).resolves.toMatchObject({ acknowledged: true });
  });

  it('a device joining while others wait is asked about in the next round, without pushing that round back', async () => {
    hub.reported.set('first', {});
    hub.reported.set('second', acked(7));
    const first = watcher.wait('first', 'mode', 7, openGate(), 10_000);
    await jest.advanceTimersByTimeAsync(90);
    const second = watcher.wait('second', 'mode', 7, openGate(), 10_000);
    await jest.advanceTimersByTimeAsync(10);
    await expect(second).resolves.toMatchObject({ acknowledged: true });
    expect(hub.queries).toEqual([{ at: 100, ids: ['first', 'second'] }]);
    watcher.close(new Error('closed'));
    await expect(first).rejects.toThrow('closed');
    await expect(watcher.wait('after', 'mode', 7, openGate(), 10_000)).rejects.toThrow('closed');
    expect(hub.queries).toHaveLength(1);
  });

  it('asks about each setting name with queries of their own', async () => {
    hub.reported.set('d1', { mode: { ac: 200, av: 3 }, fan: { ac: 200, av: 3 } });
    hub.reported.set('d2', { fan: { ac: 200, av: 3 } });
    const results = [watcher.wait('d1', 'mode', 3, openGate(), 10_000), watcher.wait('d1', 'fan', 3, openGate(), 10_000), watcher.wait('d2', 'fan', 3, openGate(), 10_000)];
    await jest.advanceTimersByTimeAsync(100);
    for (const result of results) await expect(result).resolves.toMatchObject({ acknowledged: true });
    expect(hub.queries).toEqual([
      { at: 100, ids: ['d1'] },
      { at: 100, ids: ['d1', 'd2'], name: 'fan' },
    ]);
  });
});
