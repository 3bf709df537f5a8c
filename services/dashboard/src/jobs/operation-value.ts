import { ValueSchema } from '../api/fleetjobs-api.types';

export type ParsedValue = { ok: true; value: unknown } | { ok: false; message: string };

/**
 * Reads what the operator typed as a value of the capability's schema. Booleans come from a
 * true/false choice; objects are written as JSON.
 */
export function parseOperationValue(schema: ValueSchema, text: string): ParsedValue {
  switch (schema) {
    case 'string':
      return { ok: true, value: text };
    case 'number': {
      const trimmed = text.trim();
      const value = Number(trimmed);
      if (trimmed === '' || !Number.isFinite(value)) return { ok: false, message: 'Enter a number' };
      return { ok: true, value };
    }
    case 'boolean':
      if (text === 'true') return { ok: true, value: true };
      if (text === 'false') return { ok: true, value: false };
      return { ok: false, message: 'Choose true or false' };
    case 'object': {
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch {
        return { ok: false, message: 'Enter a JSON object, for example {"delay": 5}' };
      }
      if (value === null || typeof value !== 'object' || Array.isArray(value)) {
        return { ok: false, message: 'Enter a JSON object, for example {"delay": 5}' };
      }
      return { ok: true, value };
    }
  }
}

/** The text a value of the schema is edited as (used when copying a job). */
export function formatOperationValue(schema: ValueSchema, value: unknown): string {
  if (schema === 'object') return JSON.stringify(value ?? {}, null, 0);
  if (value === undefined || value === null) return '';
  return String(value);
}

/** What a freshly chosen capability starts with. */
export function initialValueText(schema: ValueSchema): string {
  return schema === 'object' ? '{}' : '';
}
