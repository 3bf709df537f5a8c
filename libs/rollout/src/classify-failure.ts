import type { FailureKind } from '@fleetjobs/contracts';

/** A failure as the dispatcher holds it: the device's error text, or an already known kind. */
export type FailureInput = string | { kind: FailureKind } | { error: string } | { throttled: true };

// The texts of libs/device-gateway's hub adapter and of the dispatcher's runner. The earliest
// phrase in a text wins: what a device adds (a rejection reason, a command's payload) comes after.
const PHRASES: [string, FailureKind][] = [
  ['kept throttling', 'throttled'],
  ['is offline (not connected)', 'offline'],
  ['did not acknowledge', 'timeout'],
  ['timed out', 'timeout'],
  ['rejected the setting', 'rejected'],
  ['failed on the device', 'rejected'],
  ['could not be reached', 'hub'],
  ['not registered in the hub', 'hub'],
  ['outcome unknown', 'hub'],
];

/**
 * The kind of a device failure, for abort rules and retries. A text that matches nothing is a
 * `hub` error: the failure came from between the dispatcher and the device, not from the device.
 */
export function classifyFailure(failure: FailureInput): FailureKind {
  if (typeof failure !== 'string') {
    if ('kind' in failure) return failure.kind;
    if ('throttled' in failure) return 'throttled';
    return classifyFailure(failure.error);
  }
  let found: { at: number; kind: FailureKind } | null = null;
  for (const [phrase, kind] of PHRASES) {
    const at = failure.indexOf(phrase);
    if (at >= 0 && (found === null || at < found.at)) found = { at, kind };
  }
  return found?.kind ?? 'hub';
}
