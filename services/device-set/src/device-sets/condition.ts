/** Operators of device-set conditions (PRODUCT.md §2). */
export const CONDITION_OPERATORS = ['eq', 'neq', 'in', 'contains', 'gt', 'lt'] as const;
export type ConditionOperator = (typeof CONDITION_OPERATORS)[number];

/** One condition of a set; the set's conditions are joined by AND. */
export interface Condition {
  /** `id`, `displayName`, `template` or `tags.<dot.path>`. */
  field: string;
  operator: ConditionOperator;
  value: unknown;
}

/** A set holds 1 to 20 conditions; the longest string a condition compares with, and most values an `in` lists. */
export { MAX_CONDITION_STRING, MAX_CONDITIONS, MAX_IN_VALUES, MIN_CONDITIONS } from '@fleetjobs/contracts';
/** Deepest tag path (`tags.a.b.c` has three segments). */
export const MAX_TAG_PATH_SEGMENTS = 16;

export type ColumnField = 'id' | 'displayName' | 'template';
export const COLUMN_FIELDS: readonly ColumnField[] = ['id', 'displayName', 'template'];

/** What a condition's field addresses: a device column or a path inside its tags. */
export type ConditionTarget = { kind: 'column'; field: ColumnField } | { kind: 'tag'; path: string[] };

const TAG_SEGMENT = /^[A-Za-z0-9_-]{1,128}$/;

/** Reads a condition's field; `null` when it names nothing a device has. */
export function parseConditionField(field: unknown): ConditionTarget | null {
  if (typeof field !== 'string') return null;
  if ((COLUMN_FIELDS as readonly string[]).includes(field)) return { kind: 'column', field: field as ColumnField };
  if (!field.startsWith('tags.')) return null;
  const path = field.slice('tags.'.length).split('.');
  if (path.length > MAX_TAG_PATH_SEGMENTS || !path.every((segment) => TAG_SEGMENT.test(segment))) return null;
  return { kind: 'tag', path };
}

/** The template a set fixes: the value of its `template eq` condition, or `null`. */
export function fixedTemplate(conditions: readonly Condition[]): string | null {
  const condition = conditions.find((c) => c.field === 'template' && c.operator === 'eq');
  return condition && typeof condition.value === 'string' ? condition.value : null;
}
