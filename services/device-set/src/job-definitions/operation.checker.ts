import type { Capability, JobOperation, ValueSchema } from '@fleetjobs/contracts';
import type { FieldError } from '@fleetjobs/http-kit';
import { isJsonObject, unstorableJsonReason } from '../shared/storable-json';

const SCHEMA_CHECKS: Record<ValueSchema, (value: unknown) => boolean> = {
  string: (value) => typeof value === 'string',
  number: (value) => typeof value === 'number' && Number.isFinite(value),
  boolean: (value) => typeof value === 'boolean',
  object: isJsonObject,
};

const SCHEMA_NAMES: Record<ValueSchema, string> = {
  string: 'a string',
  number: 'a number',
  boolean: 'a boolean',
  object: 'a JSON object',
};

/**
 * Checks a job's operations against the template of its devices: each must name a capability
 * of that kind, with a value of the capability's schema. Errors are named `operations[i].name`
 * and `operations[i].value`.
 */
export function checkOperations(operations: readonly JobOperation[], capabilities: readonly Capability[]): FieldError[] {
  const byKindAndName = new Map(capabilities.map((capability) => [`${capability.kind}\u0000${capability.name}`, capability]));
  const errors: FieldError[] = [];
  operations.forEach((operation, index) => {
    const capability = byKindAndName.get(`${operation.type}\u0000${operation.name}`);
    if (!capability) {
      errors.push({ field: `operations[${index}].name`, message: `the template has no ${operation.type} named "${operation.name}"` });
      return;
    }
    if (!SCHEMA_CHECKS[capability.schema](operation.value)) {
      errors.push({ field: `operations[${index}].value`, message: `must be ${SCHEMA_NAMES[capability.schema]}` });
      return;
    }
    const unstorable = unstorableJsonReason(operation.value);
    if (unstorable) errors.push({ field: `operations[${index}].value`, message: unstorable });
  });
  return errors;
}
