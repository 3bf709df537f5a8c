import { HubThrottledError } from '../device-gateway.port';
import { classifyHubError, describeHubFailure, HubFailure } from './hub-error.classifier';

/** The failure of a hub call that the caller decides about (device-side outcomes). */
export class HubCallFailure extends Error {
  constructor(
    readonly failure: HubFailure,
    operation: string,
    cause: unknown,
  ) {
    super(describeHubFailure(failure, operation), { cause });
  }
}

/**
 * Runs one SDK call. Throttling becomes `HubThrottledError`; the failures listed in `expected`
 * become `HubCallFailure` for the caller to turn into an outcome; anything else is thrown as a
 * transport error that names the operation.
 */
export async function callHub<T>(
  operation: string,
  call: () => Promise<T>,
  expected: readonly HubFailure['kind'][] = [],
): Promise<T> {
  try {
    return await call();
  } catch (error) {
    const failure = classifyHubError(error);
    if (failure.kind === 'throttled') throw new HubThrottledError(failure.retryAfterMs);
    if (expected.includes(failure.kind)) throw new HubCallFailure(failure, operation, error);
    throw new Error(describeHubFailure(failure, operation), { cause: error });
  }
}

/** The `HubFailure` kind of an error thrown by `callHub`, if it is an expected one. */
export function expectedFailureKind(error: unknown): HubFailure['kind'] | null {
  return error instanceof HubCallFailure ? error.failure.kind : null;
}

/**
 * The hub refused the request itself (HTTP 400: a twin or method limit, a malformed request):
 * nothing was applied and sending it again cannot help. Its description, or `null` for any other
 * error.
 */
export function hubRefusal(error: unknown): string | null {
  if (!(error instanceof Error) || error instanceof HubCallFailure) return null;
  const failure = classifyHubError(error.cause);
  if (failure.kind !== 'other' || failure.status !== 400) return null;
  return `the hub refused it (HTTP 400${failure.code ? ` ${failure.code}` : ''}): ${failure.message}`;
}
