import { HubThrottle, hubThrottleFromEnv, methodMeters, OperationThrottle, throttleKindOf, throttleRates } from './hub-throttle';

describe("IoT Hub's per-kind operation throttles", () => {
  it('takes its rates from the tier and units, as the quotas page lists them', () => {
    expect(throttleRates('S1', 1)).toEqual({ 'twin-read': 100, 'twin-update': 50, method: 40, registry: 100 / 60, query: 20 / 60, job: 100 / 60 });
    expect(throttleRates('S2', 20)['twin-read']).toBe(200);
    expect(throttleRates('S2', 2)['twin-update']).toBe(50);
    expect(throttleRates('S3', 2)).toMatchObject({ 'twin-read': 1000, 'twin-update': 500, registry: 10_000 / 60 });
  });

  it('tells the kind of a request from its route', () => {
    expect(throttleKindOf('GET', '/twins/a')).toBe('twin-read');
    expect(throttleKindOf('PATCH', '/twins/a')).toBe('twin-update');
    expect(throttleKindOf('POST', '/twins/a/methods')).toBe('method');
    expect(throttleKindOf('POST', '/devices/query')).toBe('query');
    expect(throttleKindOf('PUT', '/devices/a')).toBe('registry');
    expect(throttleKindOf('POST', '/devices')).toBe('registry');
    expect(throttleKindOf('GET', '/statistics/devices')).toBe('registry');
    expect(throttleKindOf('PUT', '/jobs/v2/j1')).toBe('job');
    expect(throttleKindOf('GET', '/jobs/v2/query')).toBe('job');
  });

  it('meters direct methods in 4 KB blocks', () => {
    expect([0, 1, 4096, 4097, 160 * 1024].map(methodMeters)).toEqual([1, 1, 1, 2, 40]);
  });

  it('serves a burst at once, then slows requests down, then refuses them once the shaping queue is full', () => {
    const throttle = new OperationThrottle(10, 0, 1);
    const verdicts = Array.from({ length: 25 }, () => throttle.admit(0));
    expect(verdicts.slice(0, 10)).toEqual(Array(10).fill(0));
    expect(verdicts.slice(10, 20)).toEqual([100, 200, 300, 400, 500, 600, 700, 800, 900, 1000]);
    expect(verdicts.slice(20)).toEqual(Array(5).fill('refused'));
    expect(throttle.refused).toBe(5);
    // A second later the ten queued ones have been served: the next waits for one token only.
    expect(throttle.admit(1000)).toBe(100);
  });

  it('keeps the kinds apart: exhausting twin updates leaves twin reads alone', () => {
    const hub = new HubThrottle(null);
    const now = Date.now();
    hub.configure({ sku: 'S1', units: 1 }, now);
    let refused = 0;
    for (let i = 0; i < 200; i++) if (hub.admit('twin-update', now) === 'refused') refused++;
    expect(refused).toBe(50);
    expect(hub.admit('twin-read', now)).toBe(0);
    expect(hub.stats()['twin-update']).toEqual({ ratePerSecond: 50, shaped: 100, refused: 50 });
  });

  it('throttles nothing without a SKU', () => {
    const hub = new HubThrottle(null);
    for (let i = 0; i < 1000; i++) expect(hub.admit('registry', 0)).toBe(0);
  });
});

describe('hubThrottleFromEnv', () => {
  it('reads HUB_SKU and HUB_UNITS, none when unset, and refuses nonsense', () => {
    expect(hubThrottleFromEnv({})).toBeNull();
    expect(hubThrottleFromEnv({ HUB_SKU: '' })).toBeNull();
    expect(hubThrottleFromEnv({ HUB_SKU: 'S2' })).toEqual({ sku: 'S2', units: 1 });
    expect(hubThrottleFromEnv({ HUB_SKU: 'S3', HUB_UNITS: '4' })).toEqual({ sku: 'S3', units: 4 });
    expect(() => hubThrottleFromEnv({ HUB_SKU: 'F1' })).toThrow(/HUB_SKU/);
    expect(() => hubThrottleFromEnv({ HUB_SKU: 'S1', HUB_UNITS: '0' })).toThrow(/HUB_UNITS/);
  });
});
