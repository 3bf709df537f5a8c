import { HubThrottledError, RequestGate } from '../device-gateway.port';
import { callHub, hubRefusal } from './hub-call';
import { HubFailure } from './hub-error.classifier';
import { SendGuard, sendGuarded } from './send-guard';

/** Most tries of one request the hub keeps throttling; past that the operation fails. */
const MAX_THROTTLED_TRIES = 60;
/** Refused connections never reached the hub, so retrying them cannot apply anything twice. */
const MAX_REFUSED_TRIES = 5;

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Lets every request through and waits out throttling on its own. */
export function openGate(): RequestGate {
  let pausedUntil = 0;
  const wait = async () => {
    const ms = pausedUntil - Date.now();
    if (ms > 0) await sleep(ms);
  };
  return {
    beforeMutation: wait,
    beforeRead: wait,
    throttled: (retryAfterMs) => {
      pausedUntil = Math.max(pausedUntil, Date.now() + retryAfterMs);
    },
  };
}

export type RequestKind = 'read' | 'mutation';

function wasRefusedConnection(error: unknown): boolean {
  for (let current: unknown = error; current; current = (current as { cause?: unknown }).cause) {
    if ((current as { code?: string }).code === 'ECONNREFUSED') return true;
  }
  return false;
}

/**
 * One hub request through the gate: the gate is asked before every try, so a retry after a 429
 * or a refused connection needs the same permission as the first try. Only that one request is
 * repeated, never the operation around it.
 */
export async function gatedRequest<T>(
  gate: RequestGate,
  kind: RequestKind,
  operation: string,
  call: () => Promise<T>,
  expected: readonly HubFailure['kind'][] = [],
): Promise<T> {
  let throttled = 0;
  let refused = 0;
  for (;;) {
    await (kind === 'mutation' ? gate.beforeMutation() : gate.beforeRead());
    const guard: SendGuard | null = kind === 'mutation' && gate.beforeBytesLeave ? { check: () => gate.beforeBytesLeave!() } : null;
    try {
      return await (guard ? sendGuarded(guard, () => callHub(operation, call, expected)) : callHub(operation, call, expected));
    } catch (error) {
      if (guard?.refusal !== undefined) {
        gate.notApplied?.();
        throw guard.refusal;
      }
      const refusedByHub = error instanceof HubThrottledError || wasRefusedConnection(error) || hubRefusal(error) !== null;
      if (kind === 'mutation' && refusedByHub) gate.notApplied?.();
      if (error instanceof HubThrottledError && ++throttled < MAX_THROTTLED_TRIES) {
        gate.throttled(error.retryAfterMs);
        continue;
      }
      if (wasRefusedConnection(error) && ++refused < MAX_REFUSED_TRIES) {
        await sleep(100 * 2 ** refused);
        continue;
      }
      throw error;
    }
  }
}
