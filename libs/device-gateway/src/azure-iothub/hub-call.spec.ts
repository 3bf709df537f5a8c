import { HubThrottledError } from '../device-gateway.port';
import { callHub, hubRefusal } from './hub-call';

function sdkError(statusCode: number, message: string, headers: Record<string, string> = {}): Error {
  return Object.assign(new Error('http error'), {
    response: { statusCode, headers },
    responseBody: JSON.stringify({ Message: message, ExceptionMessage: '' }),
  });
}

async function thrownBy(error: Error): Promise<unknown> {
  return callHub('property location on d1', () => Promise.reject(error)).catch((thrown: unknown) => thrown);
}

describe('hubRefusal', () => {
  it("describes the hub's 400 with its code and message: nothing was applied and a retry cannot help", async () => {
    const thrown = await thrownBy(sdkError(400, 'ErrorCode:ArgumentInvalid;tags would be 9000 bytes', { 'iothub-errorcode': 'ArgumentInvalid' }));
    expect(hubRefusal(thrown)).toBe('the hub refused it (HTTP 400 ArgumentInvalid): tags would be 9000 bytes');
  });

  it('is null for throttling, server errors and anything that is not a hub answer', async () => {
    expect(await thrownBy(sdkError(429, 'ErrorCode:ThrottlingException;slow down'))).toBeInstanceOf(HubThrottledError);
    expect(hubRefusal(await thrownBy(sdkError(500, 'ErrorCode:ServerError;oops')))).toBeNull();
    expect(hubRefusal(new Error('socket hang up'))).toBeNull();
    expect(hubRefusal('not an error')).toBeNull();
  });
});
