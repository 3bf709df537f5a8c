import {
  HUB_METHOD_PAYLOAD_BYTES,
  HUB_TWIN_DESIRED_BYTES,
  jsonBytes,
  MAX_PROPERTY_TWIN_BYTES,
  methodNameProblem,
  twinKeyProblem,
  twinSize,
  twinValueProblems,
} from '@fleetjobs/contracts';
import type { FieldError } from '@fleetjobs/http-kit';

export interface HubOperation {
  type: string;
  name: string;
  value: unknown;
}

/**
 * What IoT Hub would refuse of a job's operations, so that a job accepted here does not fail on
 * the hub: a setting is a desired property (its value one level below `properties/desired`), a
 * property is written to the twin tags under `properties.<name>` (two levels below `tags`, within
 * the properties' share of the tags' 8 KB), a command is a direct method.
 */
export function hubOperationErrors(operations: readonly HubOperation[]): FieldError[] {
  return operations.flatMap((operation, index) => operationErrors(operation, `operations[${index}]`));
}

function operationErrors({ type, name, value }: HubOperation, path: string): FieldError[] {
  if (type === 'command') {
    const nameProblem = methodNameProblem(name);
    const errors: FieldError[] = nameProblem ? [{ field: `${path}.name`, message: nameProblem }] : [];
    const bytes = jsonBytes(value);
    if (bytes > HUB_METHOD_PAYLOAD_BYTES) {
      errors.push({ field: `${path}.value`, message: `must be at most ${HUB_METHOD_PAYLOAD_BYTES} bytes of JSON: IoT Hub's largest method payload (is ${bytes})` });
    }
    return errors;
  }
  if (type !== 'setting' && type !== 'property') return [];
  const nameProblem = twinKeyProblem(name);
  if (nameProblem) return [{ field: `${path}.name`, message: nameProblem }];
  const problems = twinValueProblems(value, type === 'setting' ? 1 : 2);
  if (problems.length > 0) return problems.map((problem) => ({ field: `${path}.value${problem.path}`, message: problem.message }));
  const limit = type === 'setting' ? HUB_TWIN_DESIRED_BYTES : MAX_PROPERTY_TWIN_BYTES;
  const size = twinSize({ [name]: value });
  if (size > limit) {
    const what = type === 'setting' ? "IoT Hub's desired properties" : "a property's share of IoT Hub's twin tags";
    return [{ field: `${path}.value`, message: `with its name must be at most ${limit} bytes as IoT Hub counts a twin, numbers 8 bytes each: ${what} (is ${size})` }];
  }
  return [];
}
