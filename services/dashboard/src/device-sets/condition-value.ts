import { ConditionOperator } from '../api/fleetjobs-api.types';

export type ParsedCondition = { ok: true; value: unknown } | { ok: false; message: string };

const LOOKS_LIKE_JSON = /^(-?\d+(\.\d+)?|true|false|null|".*"|\{.*\}|\[.*\])$/s;

/** `5` is a number, `true` a boolean, `"5"` the string 5, `{...}` an object; other text is a string as typed. */
function scalar(text: string): unknown {
  const trimmed = text.trim();
  if (LOOKS_LIKE_JSON.test(trimmed)) {
    try {
      return JSON.parse(trimmed);
    } catch {
      return trimmed;
    }
  }
  return trimmed;
}

/** Reads a condition value as typed: `in` takes a list (`a, b` or a JSON array), the rest one value. */
export function parseConditionValue(operator: ConditionOperator, text: string): ParsedCondition {
  if (!text.trim()) return { ok: false, message: 'Enter a value' };
  if (operator !== 'in') return { ok: true, value: scalar(text) };
  if (text.trim().startsWith('[')) {
    try {
      const list: unknown = JSON.parse(text);
      if (Array.isArray(list)) return { ok: true, value: list };
    } catch {
      // falls through to the message below
    }
    return { ok: false, message: 'Enter a JSON array, or values separated by commas' };
  }
  return { ok: true, value: text.split(',').filter((item) => item.trim()).map(scalar) };
}

/** The text a stored condition value is edited as; `parseConditionValue` reads it back the same. */
export function formatConditionValue(value: unknown): string {
  if (typeof value === 'string') return LOOKS_LIKE_JSON.test(value.trim()) || value !== value.trim() ? JSON.stringify(value) : value;
  if (Array.isArray(value) && value.every((v) => typeof v === 'number' || (typeof v === 'string' && !v.includes(',') && !/^-?\d/.test(v)))) {
    return value.join(', ');
  }
  return JSON.stringify(value);
}

export function describeCondition(condition: { field: string; operator: ConditionOperator; value: unknown }): string {
  const words: Record<ConditionOperator, string> = { eq: '=', neq: '≠', in: 'in', contains: 'contains', gt: '>', lt: '<' };
  return `${condition.field} ${words[condition.operator]} ${JSON.stringify(condition.value)}`;
}
