/**
 * What a failed azure-iothub call means. The SDK turns any HTTP status >= 300 into an Error with
 * `response` (the IncomingMessage) and `responseBody` (the raw text); the IoT Hub error code is in
 * the `iothub-errorcode` header, in `Message` as `ErrorCode:<code>;<text>`, or, for direct methods,
 * in a JSON document inside `Message` (`{"errorCode":404103,...}`).
 */
export type HubFailure =
  | { kind: 'throttled'; retryAfterMs: number }
  | { kind: 'device-not-found' }
  | { kind: 'device-not-online' }
  | { kind: 'gateway-timeout' }
  | { kind: 'precondition-failed' }
  | { kind: 'other'; status: number | null; code: string | null; message: string };

interface SdkHttpError {
  message?: string;
  response?: { statusCode?: number; headers?: Record<string, string | string[] | undefined> };
  responseBody?: unknown;
}

const DEFAULT_RETRY_AFTER_MS = 1000;

export function classifyHubError(error: unknown): HubFailure {
  const sdkError = (typeof error === 'object' && error !== null ? error : {}) as SdkHttpError;
  const status = sdkError.response?.statusCode ?? null;
  const detail = errorDetail(sdkError);
  if (status === 429) return { kind: 'throttled', retryAfterMs: retryAfterMs(sdkError) };
  if (detail.code === 'DeviceNotOnline' || detail.numericCode === 404103) return { kind: 'device-not-online' };
  if (status === 404 && (detail.code === 'DeviceNotFound' || detail.numericCode === 404001)) return { kind: 'device-not-found' };
  if (status === 504 || detail.code === 'GatewayTimeout' || detail.numericCode === 504101) return { kind: 'gateway-timeout' };
  if (status === 412) return { kind: 'precondition-failed' };
  return {
    kind: 'other',
    status,
    code: detail.code,
    message: detail.message ?? sdkError.message ?? String(error),
  };
}

/** A readable description of a failure the adapter does not handle, for the Error it throws. */
export function describeHubFailure(failure: HubFailure, operation: string): string {
  if (failure.kind !== 'other') return `${operation} failed: ${failure.kind}`;
  const status = failure.status === null ? 'no response' : `HTTP ${failure.status}${failure.code ? ` ${failure.code}` : ''}`;
  return `${operation} failed (${status}): ${failure.message}`;
}

function errorDetail(error: SdkHttpError): { code: string | null; numericCode: number | null; message: string | null } {
  const header = error.response?.headers?.['iothub-errorcode'];
  let code = (Array.isArray(header) ? header[0] : header) ?? null;
  let numericCode: number | null = null;
  let message: string | null = null;
  const outer = parseJson(error.responseBody);
  const text = isRecord(outer) && typeof outer['Message'] === 'string' ? outer['Message'] : null;
  if (text !== null) {
    const inner = parseJson(text);
    if (isRecord(inner)) {
      numericCode = typeof inner['errorCode'] === 'number' ? inner['errorCode'] : null;
      message = typeof inner['message'] === 'string' ? inner['message'] : text;
    } else {
      const match = /^ErrorCode:([^;]+);(.*)$/s.exec(text);
      code ??= match ? match[1] : null;
      message = match ? match[2] : text;
    }
  }
  return { code, numericCode, message };
}

function retryAfterMs(error: SdkHttpError): number {
  const header = error.response?.headers?.['retry-after'];
  const value = Array.isArray(header) ? header[0] : header;
  if (value === undefined) return DEFAULT_RETRY_AFTER_MS;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.max(1, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? DEFAULT_RETRY_AFTER_MS : Math.max(1, date - Date.now());
}

function parseJson(value: unknown): unknown {
  if (typeof value !== 'string' || value === '') return null;
  try {
    return JSON.parse(value);
  } catch {
    return null;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
