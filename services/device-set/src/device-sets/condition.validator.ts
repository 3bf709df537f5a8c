import type { FieldError } from '@fleetjobs/http-kit';
import { isStorableText } from '../shared/storable-json';
import {
  CONDITION_OPERATORS,
  ConditionOperator,
  MAX_CONDITION_STRING,
  MAX_CONDITIONS,
  MAX_IN_VALUES,
  MIN_CONDITIONS,
  parseConditionField,
} from './condition';

type ValueRule = (value: unknown) => string | null;

const text: ValueRule = (value) => {
  if (typeof value !== 'string') return 'must be a string';
  if (value.length < 1 || value.length > MAX_CONDITION_STRING) return `must be 1 to ${MAX_CONDITION_STRING} characters`;
  return isStorableText(value) ? null : 'must not contain U+0000 or unpaired surrogates';
};

const scalar: ValueRule = (value) => {
  if (value === null || typeof value === 'boolean') return null;
  if (typeof value === 'number') return Number.isFinite(value) ? null : 'must be a finite number';
  if (typeof value === 'string') {
    if (value.length > MAX_CONDITION_STRING) return `must be at most ${MAX_CONDITION_STRING} characters`;
    return isStorableText(value) ? null : 'must not contain U+0000 or unpaired surrogates';
  }
  return 'must be a JSON scalar (string, number, boolean or null)';
};

const number: ValueRule = (value) =>
  typeof value === 'number' && Number.isFinite(value) ? null : 'must be a number';

function listOf(item: ValueRule, itemName: string): ValueRule {
  return (value) => {
    if (!Array.isArray(value) || value.length < 1 || value.length > MAX_IN_VALUES) {
      return `must be an array of 1 to ${MAX_IN_VALUES} ${itemName}`;
    }
    const index = value.findIndex((element) => item(element) !== null);
    return index < 0 ? null : `element ${index} ${item(value[index])}`;
  };
}

const columnRules: Record<ConditionOperator, ValueRule | string> = {
  eq: text,
  neq: text,
  in: listOf(text, 'strings'),
  contains: text,
  gt: 'gt and lt compare numbers; they apply to tags.<path> fields only',
  lt: 'gt and lt compare numbers; they apply to tags.<path> fields only',
};

const tagRules: Record<ConditionOperator, ValueRule> = {
  eq: scalar,
  neq: scalar,
  in: listOf(scalar, 'JSON scalars'),
  contains: text,
  gt: number,
  lt: number,
};

/**
 * Checks a set's conditions: count, fields, operators and the value each operator takes on
 * that field. A comparison that could never type-check (`gt` on `displayName`) is refused here,
 * so that a stored set only breaks when the world changes under it. Errors are named by path.
 */
export function validateConditions(conditions: unknown, path = 'conditions'): FieldError[] {
  if (!Array.isArray(conditions) || conditions.length < MIN_CONDITIONS || conditions.length > MAX_CONDITIONS) {
    return [{ field: path, message: `must be an array of ${MIN_CONDITIONS} to ${MAX_CONDITIONS} conditions` }];
  }
  const errors: FieldError[] = [];
  let templateFixedAt: number | null = null;
  conditions.forEach((condition: unknown, index) => {
    const at = `${path}[${index}]`;
    if (typeof condition !== 'object' || condition === null || Array.isArray(condition)) {
      errors.push({ field: at, message: 'must be an object {field, operator, value}' });
      return;
    }
    const { field, operator, value } = condition as Record<string, unknown>;
    const target = parseConditionField(field);
    if (!target) {
      errors.push({ field: `${at}.field`, message: 'must be id, displayName, template or tags.<path> (segments of letters, digits, _ or -)' });
    }
    if (!(CONDITION_OPERATORS as readonly unknown[]).includes(operator)) {
      errors.push({ field: `${at}.operator`, message: `must be one of ${CONDITION_OPERATORS.join(', ')}` });
      return;
    }
    if (!target) return;
    const rule = (target.kind === 'column' ? columnRules : tagRules)[operator as ConditionOperator];
    if (typeof rule === 'string') {
      errors.push({ field: `${at}.operator`, message: rule });
      return;
    }
    const problem = value === undefined ? 'is required' : rule(value);
    if (problem) errors.push({ field: `${at}.value`, message: problem });
    if (field === 'template' && operator === 'eq') {
      if (templateFixedAt !== null) {
        errors.push({ field: `${at}.field`, message: `the template is already fixed by ${path}[${templateFixedAt}]` });
      } else {
        templateFixedAt = index;
      }
    }
  });
  return errors;
}
