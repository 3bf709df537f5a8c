import { classifyHubError } from './hub-error.classifier';

function sdkError(statusCode: number, body: unknown, headers: Record<string, string> = {}): Error {
  return Object.assign(new Error('failed'), {
    response: { statusCode, headers },
    responseBody: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

describe('classifyHubError', () => {
  it('reads throttling with Retry-After in seconds, defaulting to one second', () => {
    expect(classifyHubError(sdkError(429, {}, { 'retry-after': '3' }))).toEqual({ kind: 'throttled', retryAfterMs: 3000 });
    expect(classifyHubError(sdkError(429, {}))).toEqual({ kind: 'throttled', retryAfterMs: 1000 });
  });

  it('tells an unknown device from an offline one', () => {
    expect(classifyHubError(sdkError(404, { Message: 'ErrorCode:DeviceNotFound;Device d1 not registered' }))).toEqual({
      kind: 'device-not-found',
    });
    const offline = { Message: JSON.stringify({ errorCode: 404103, message: 'Timed out waiting for device to connect.' }), ExceptionMessage: '' };
    expect(classifyHubError(sdkError(404, offline))).toEqual({ kind: 'device-not-online' });
    expect(classifyHubError(sdkError(404, { Message: 'ErrorCode:DeviceNotOnline;Timed out' }))).toEqual({ kind: 'device-not-online' });
  });

  it('reads gateway timeouts and precondition failures', () => {
    const timeout = { Message: JSON.stringify({ errorCode: 504101, message: 'Timed out waiting for the response from device.' }) };
    expect(classifyHubError(sdkError(504, timeout))).toEqual({ kind: 'gateway-timeout' });
    expect(classifyHubError(sdkError(412, { Message: 'ErrorCode:PreconditionFailed;etag' }))).toEqual({ kind: 'precondition-failed' });
  });

  it('keeps status, code and message of anything else, and copes with transport errors', () => {
    expect(classifyHubError(sdkError(401, { Message: 'ErrorCode:IotHubUnauthorizedAccess;Unauthorized' }))).toEqual({
      kind: 'other',
      status: 401,
      code: 'IotHubUnauthorizedAccess',
      message: 'Unauthorized',
    });
    expect(classifyHubError(new Error('connect ECONNREFUSED'))).toEqual({
      kind: 'other',
      status: null,
      code: null,
      message: 'connect ECONNREFUSED',
    });
  });
});
