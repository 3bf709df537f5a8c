import { type Capability, MAX_CAPABILITIES, MAX_CAPABILITY_NAME, methodNameProblem, twinKeyProblem } from '@fleetjobs/contracts';
import type { FieldError } from '@fleetjobs/http-kit';
import { isStorableText } from '../shared/storable-json';

export const CAPABILITY_KINDS = ['property', 'setting', 'command'] as const;
export const VALUE_SCHEMAS = ['string', 'number', 'boolean', 'object'] as const;
export { MAX_CAPABILITIES, MAX_CAPABILITY_NAME };

// Control characters cannot travel as twin property or method names.
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

/**
 * Rules the request DTO cannot express: names 1 to 128 characters without control characters,
 * unique within the template, that IoT Hub accepts as a twin key (settings, properties) or a
 * method name (commands).
 */
export function validateCapabilities(capabilities: readonly Capability[], path = 'capabilities'): FieldError[] {
  const errors: FieldError[] = [];
  const firstIndex = new Map<string, number>();
  capabilities.forEach((capability, index) => {
    const field = `${path}[${index}].name`;
    const { name } = capability;
    if (name.length < 1 || name.length > MAX_CAPABILITY_NAME) {
      errors.push({ field, message: `must be 1 to ${MAX_CAPABILITY_NAME} characters` });
    } else if (CONTROL.test(name) || !isStorableText(name)) {
      errors.push({ field, message: 'must not contain control characters or unpaired surrogates' });
    } else {
      // Settings are desired properties and properties twin tags; commands are direct methods.
      const hubProblem = capability.kind === 'command' ? methodNameProblem(name) : twinKeyProblem(name);
      if (hubProblem) errors.push({ field, message: hubProblem });
    }
    const seen = firstIndex.get(name);
    if (seen !== undefined) {
      errors.push({ field, message: `duplicates ${path}[${seen}].name` });
    } else {
      firstIndex.set(name, index);
    }
  });
  return errors;
}
