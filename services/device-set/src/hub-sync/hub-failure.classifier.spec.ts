import { HubThrottledError } from '@fleetjobs/device-gateway';
import { classifyHubFailure, httpStatusOf, transientBackoffMs } from './hub-failure.classifier';

/** An error shaped as the azure-iothub SDK reports an HTTP answer >= 300, wrapped as the adapter wraps it. */
const hubAnswer = (statusCode: number, message = `HTTP ${statusCode}`): Error =>
  new Error(`bulk create failed (${message})`, { cause: Object.assign(new Error(message), { response: { statusCode } }) });

describe('classifyHubFailure', () => {
  it('waits out throttling for as long as the hub asks', () => {
    expect(classifyHubFailure(new HubThrottledError(2500))).toMatchObject({ kind: 'throttled', retryAfterMs: 2500 });
    expect(classifyHubFailure(hubAnswer(429))).toMatchObject({ kind: 'throttled' });
  });

  it('retries when the hub cannot be reached or fails on its side', () => {
    const refusedConnection = new Error('registry query failed (no response): connect ECONNREFUSED', {
      cause: Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' }),
    });
    expect(classifyHubFailure(refusedConnection)).toMatchObject({ kind: 'transient' });
    for (const status of [500, 502, 503, 504]) expect(classifyHubFailure(hubAnswer(status))).toMatchObject({ kind: 'transient' });
  });

  it('retries refusals that are not about the devices: credentials, timeouts, concurrent changes', () => {
    for (const status of [401, 403, 408, 409, 412]) expect(classifyHubFailure(hubAnswer(status))).toMatchObject({ kind: 'transient' });
  });

  it('gives up at once on any other refusal, with the hub’s reason', () => {
    expect(classifyHubFailure(hubAnswer(400, 'HTTP 400 ArgumentInvalid: tags too large'))).toEqual({
      kind: 'refused',
      status: 400,
      reason: 'bulk create failed (HTTP 400 ArgumentInvalid: tags too large)',
    });
    expect(classifyHubFailure(hubAnswer(404))).toMatchObject({ kind: 'refused', status: 404 });
  });

  it('gives up at once when the gateway refuses to send the call at all', () => {
    expect(classifyHubFailure(new Error("device d: tag name(s) properties are reserved in the hub's twin tags"))).toMatchObject({
      kind: 'refused',
      status: null,
    });
  });

  it('retries an error that carries a system error code but no status', () => {
    expect(classifyHubFailure(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }))).toMatchObject({ kind: 'transient' });
    expect(classifyHubFailure(new Error('tls', { cause: Object.assign(new Error('x'), { code: 'ERR_TLS_CERT_ALTNAME_INVALID' }) }))).toMatchObject({
      kind: 'transient',
    });
  });

  it('finds the status on the error itself or deep in its causes, and nowhere else', () => {
    expect(httpStatusOf(Object.assign(new Error('x'), { statusCode: 400 }))).toBe(400);
    expect(httpStatusOf(new Error('a', { cause: new Error('b', { cause: hubAnswer(422) }) }))).toBe(422);
    expect(httpStatusOf(new Error('plain'))).toBeNull();
    expect(httpStatusOf('text')).toBeNull();
  });
});

describe('transientBackoffMs', () => {
  it('doubles from the first wait up to the cap', () => {
    expect([1, 2, 3, 4, 5, 6].map((attempt) => transientBackoffMs(attempt, 250, 5000))).toEqual([250, 500, 1000, 2000, 4000, 5000]);
  });
});
