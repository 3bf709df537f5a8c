import type { JobOperation } from '@fleetjobs/contracts';
import type { RecordedPrevious } from './previous-values.repository';

/**
 * A revert job's operations on one device, with the values to put back, and why the rest cannot
 * be reverted there (null when everything can): the device then fails with that error once the
 * operations that can be reverted are done.
 */
export interface DeviceRevert {
  operations: JobOperation[];
  notRevertible: string | null;
}

/**
 * Each operation of a revert job puts back what the reverted job's operation of the same type
 * and name replaced on this device. A property that had no value is removed (a twin patch to
 * null). A setting that had none cannot be unset on the device, and an operation the reverted
 * job never carried out on the device has nothing to put back: both are not revertible.
 */
export function revertOperations(revertOf: string, operations: JobOperation[], recorded: RecordedPrevious[]): DeviceRevert {
  const reverted: JobOperation[] = [];
  const refused: string[] = [];
  for (const operation of operations) {
    const found = recorded.find((candidate) => candidate.kind === operation.type && candidate.name === operation.name);
    const what = `${operation.type} ${operation.name}`;
    if (!found) {
      refused.push(`job "${revertOf}" did not write ${what} on this device`);
    } else if (found.previous.present) {
      reverted.push({ type: operation.type, name: operation.name, value: found.previous.value });
    } else if (operation.type === 'property') {
      reverted.push({ type: 'property', name: operation.name, value: null });
    } else {
      refused.push(`${what} had no value before job "${revertOf}", and a device's setting cannot be unset`);
    }
  }
  return { operations: reverted, notRevertible: refused.length > 0 ? `not revertible: ${refused.join('; ')}` : null };
}
