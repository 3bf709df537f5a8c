import { randomUUID } from 'node:crypto';
import { HubResponse } from './hub-exchange';

/**
 * Error answers in IoT Hub's shapes. Registry and twin errors carry
 * `{"Message": "ErrorCode:<code>;<text>", "ExceptionMessage": "Tracking ID:..."}`, which the SDK
 * splits into code and message; direct-method errors carry a JSON document inside `Message`.
 * Both come with the `iothub-errorcode` header.
 */
export function hubError(status: number, code: string, message: string, headers: Record<string, string> = {}): HubResponse {
  return {
    status,
    body: { Message: `ErrorCode:${code};${message}`, ExceptionMessage: `Tracking ID:${trackingId()}-TimeStamp:${timestamp()}` },
    headers: { 'iothub-errorcode': code, ...headers },
  };
}

export function methodError(status: number, errorCode: number, code: string, message: string, timeoutMs: number): HubResponse {
  const inner = {
    errorCode,
    trackingId: `${trackingId()}-TimeStamp:${timestamp()}`,
    message,
    info: { timeout: formatTimeSpan(timeoutMs) },
    timestampUtc: new Date().toISOString(),
  };
  return { status, body: { Message: JSON.stringify(inner), ExceptionMessage: '' }, headers: { 'iothub-errorcode': code } };
}

export const errors = {
  deviceNotFound: (deviceId: string) => hubError(404, 'DeviceNotFound', `Device ${deviceId} not registered`),
  deviceAlreadyExists: (deviceId: string) => hubError(409, 'DeviceAlreadyExists', `A device with ID '${deviceId}' is already registered.`),
  preconditionFailed: () => hubError(412, 'PreconditionFailed', 'Precondition failed: the etag does not match'),
  badRequest: (message: string) => hubError(400, 'ArgumentInvalid', message),
  unauthorized: (reason: string) => hubError(401, 'IotHubUnauthorizedAccess', `Unauthorized: ${reason}`),
  notFound: (path: string) => hubError(404, 'GenericNotFound', `No such resource: ${path}`),
  // The hub sends no Retry-After: the client backs off on its own.
  throttled: () => hubError(429, 'ThrottlingException', 'Request throttled: the hub is receiving too many requests'),
  tooLarge: (maxBytes: number) => hubError(413, 'RequestEntityTooLarge', `the request body exceeds ${maxBytes} bytes`),
  internal: (message: string) => hubError(500, 'ServerError', message),
  unavailable: () => hubError(503, 'ServiceUnavailable', 'The hub is starting'),
  deviceNotOnline: (connectTimeoutMs: number) =>
    methodError(404, 404103, 'DeviceNotOnline', 'Timed out waiting for device to connect.', connectTimeoutMs),
  methodDeviceNotFound: (deviceId: string) =>
    methodError(404, 404001, 'DeviceNotFound', `Device ${deviceId} not registered`, 0),
  jobNotFound: (jobId: string) => hubError(404, 'JobNotFound', `Job ${jobId} not found`),
  jobAlreadyExists: (jobId: string) => hubError(409, 'JobAlreadyExists', `A job with ID '${jobId}' already exists.`),
  tooManyActiveJobs: (limit: number) =>
    hubError(429, 'ThrottlingMaxActiveJobCountExceeded', `The maximum active job count (${limit}) has been exceeded`),
  gatewayTimeout: (responseTimeoutMs: number) =>
    methodError(504, 504101, 'GatewayTimeout', 'Timed out waiting for the response from device.', responseTimeoutMs),
};

function trackingId(): string {
  return randomUUID().replace(/-/g, '');
}

function timestamp(): string {
  return new Date().toISOString();
}

function formatTimeSpan(ms: number): string {
  const seconds = Math.round(ms / 1000);
  const pad = (value: number): string => String(value).padStart(2, '0');
  return `${pad(Math.floor(seconds / 3600))}:${pad(Math.floor((seconds % 3600) / 60))}:${pad(seconds % 60)}`;
}
