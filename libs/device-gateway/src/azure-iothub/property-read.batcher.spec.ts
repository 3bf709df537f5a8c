import { HubThrottledError, RequestGate } from '../device-gateway.port';
import { openGate } from './gated-request';
import { PropertyQuerySource, PropertyRead, PropertyReadBatcher, TwinValueKind } from './property-read.batcher';

/** A hub whose twins the test sets, noting every query; a query may be held until released. */
class ScriptedHub implements PropertyQuerySource {
  readonly twins = new Map<string, PropertyRead>();
  readonly queries: { ids: string[]; name: string }[] = [];
  readonly failures: Error[] = [];
  /** Milliseconds of the fake clock each query takes. */
  tookMs = 0;

  constructor(private readonly clock: { now: number }) {}

  async queryValues(deviceIds: string[], kind: TwinValueKind, name: string, gate: RequestGate): Promise<Map<string, PropertyRead>> {
    await gate.beforeRead();
    this.queries.push({ ids: deviceIds, name: kind === 'property' ? name : `${kind} ${name}` });
    this.clock.now += this.tookMs;
    const failure = this.failures.shift();
    if (failure) throw failure;
    return new Map(deviceIds.flatMap((id) => (this.twins.has(id) ? [[id, this.twins.get(id)!] as const] : [])));
  }

  queryable(deviceId: string, name: string): boolean {
    return !deviceId.includes("'") && /^\w+$/.test(name);
  }
}

describe('PropertyReadBatcher', () => {
  const clock = { now: 1_000_000 };
  let hub: ScriptedHub;
  let batcher: PropertyReadBatcher;
  const gate = openGate();

  beforeEach(() => {
    hub = new ScriptedHub(clock);
    for (let i = 0; i < 250; i += 1) hub.twins.set(`d${i}`, { etag: `e${i}`, value: i % 2 === 0 ? `v${i}` : undefined });
    batcher = new PropertyReadBatcher(hub, { maxDevicesPerQuery: 100, slowQueryMs: 1000, pauseMs: 30_000, now: () => clock.now });
  });

  it('reads devices that ask together with one query per name and hundred devices', async () => {
    const reads = await Promise.all([
      ...Array.from({ length: 250 }, (_, i) => batcher.read(`d${i}`, 'property', 'location', gate)),
      batcher.read('d0', 'property', 'colour', gate),
      batcher.read('d0', 'setting', 'location', gate),
    ]);
    expect(hub.queries.map((query) => [query.name, query.ids.length])).toEqual([
      ['location', 100],
      ['location', 100],
      ['location', 50],
      ['colour', 1],
      ['setting location', 1],
    ]);
    expect(reads[0]).toEqual({ etag: 'e0', value: 'v0' });
    expect(reads[1]).toEqual({ etag: 'e1', value: undefined });
  });

  it('has one round of queries under way at a time; devices that ask meanwhile share the next', async () => {
    const first = batcher.read('d1', 'property', 'location', gate);
    await new Promise((resolve) => setImmediate(resolve));
    const later = [batcher.read('d2', 'property', 'location', gate), batcher.read('d3', 'property', 'location', gate)];
    await Promise.all([first, ...later]);
    expect(hub.queries.map((query) => query.ids)).toEqual([['d1'], ['d2', 'd3']]);
  });

  it('answers null for a device missing from the answer, or one that cannot be named in a query, without asking for it', async () => {
    expect(await Promise.all([batcher.read('gone', 'property', 'location', gate), batcher.read("it's", 'property', 'location', gate), batcher.read('d1', 'property', 'a-b', gate)])).toEqual([
      null,
      null,
      null,
    ]);
    expect(hub.queries.map((query) => query.ids)).toEqual([['gone']]);
  });

  it('answers null to the devices of a query that failed or was throttled, and asks no query for a while', async () => {
    hub.failures.push(new HubThrottledError(0));
    expect(await Promise.all([batcher.read('d1', 'property', 'location', gate), batcher.read('d2', 'property', 'location', gate)])).toEqual([null, null]);
    expect(await batcher.read('d3', 'property', 'location', gate)).toBeNull();
    clock.now += 30_001;
    expect(await batcher.read('d3', 'property', 'location', gate)).toEqual({ etag: 'e3', value: undefined });
    expect(hub.queries).toHaveLength(2);
  });

  it('uses the answer of a slow query but asks no query for a while after it', async () => {
    hub.tookMs = 3000;
    expect(await batcher.read('d2', 'property', 'location', gate)).toEqual({ etag: 'e2', value: 'v2' });
    hub.tookMs = 0;
    expect(await batcher.read('d4', 'property', 'location', gate)).toBeNull();
    expect(hub.queries).toHaveLength(1);
  });

  it('does not count the wait for the gate (the rate limit) as the slowness of the hub', async () => {
    const slowGate: RequestGate = {
      ...openGate(),
      beforeRead: async () => {
        clock.now += 5000;
      },
    };
    expect(await batcher.read('d2', 'property', 'location', slowGate)).toEqual({ etag: 'e2', value: 'v2' });
    expect(await batcher.read('d4', 'property', 'location', gate)).toEqual({ etag: 'e4', value: 'v4' });
  });
});
