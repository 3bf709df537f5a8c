import type { JobOperation } from '@fleetjobs/contracts';
import type { RecordedPrevious } from './previous-values.repository';

/** A revert job's operations on one device, with the values to put back; or why the device cannot be reverted. */
export type DeviceRevert = { ok: true; operations: JobOperation[] } | { ok: false; error: string };

/**
 * Each operation of a revert job puts back what the reverted job's operation of the same type
 * and name replaced on this device. A property that had no value is removed (a twin patch to
 * null); a setting that had none cannot be unset on the device, and a device the reverted job
 * never wrote has nothing to put back: both are not revertible, and the device fails saying so.
 */
export function revertOperations(revertOf: string, operations: JobOperation[], recorded: RecordedPrevious[]): DeviceRevert {
  const reverted: JobOperation[] = [];
  for (const operation of operations) {
    const found = recorded.find((candidate) => candidate.kind === operation.type && candidate.name === operation.name);
    const what = `${operation.type} ${operation.name}`;
    if (!found) return { ok: false, error: `not revertible: job "${revertOf}" did not write ${what} on this device` };
    if (found.previous.present) {
      reverted.push({ type: operation.type, name: operation.name, value: found.previous.value });
    } else if (operation.type === 'property') {
      reverted.push({ type: 'property', name: operation.name, value: null });
    } else {
      return { ok: false, error: `not revertible: ${what} had no value before job "${revertOf}", and a device's setting cannot be unset` };
    }
  }
  return { ok: true, operations: reverted };
}
