import { ColumnField, Condition, ConditionTarget, parseConditionField } from './condition';

/** A SQL boolean expression and the parameters it numbers, in order. */
export interface SqlFragment {
  sql: string;
  params: unknown[];
}

export interface CompileOptions {
  /** Alias of the devices table in the surrounding query. */
  alias: string;
  /** Number of the first parameter this fragment may use (`$n`). */
  firstParameter: number;
}

const COLUMNS: Record<ColumnField, string> = { id: 'id', displayName: 'display_name', template: 'template' };

/**
 * Compiles validated conditions to one SQL predicate over the devices table, ANDing them.
 * Every value travels as a bound parameter; only column names and operators, chosen from fixed
 * tables here, are written into the SQL text. Tag paths address `tags` with `#>`; a missing
 * path never matches `eq`, `in`, `contains`, `gt` or `lt`, and always matches `neq`.
 */
export function compileConditions(conditions: readonly Condition[], options: CompileOptions): SqlFragment {
  const params: unknown[] = [];
  const bind = (value: unknown, cast: string): string => {
    params.push(value);
    return `$${options.firstParameter + params.length - 1}::${cast}`;
  };
  const parts = conditions.map((condition) => {
    const target = parseConditionField(condition.field);
    if (!target) throw new Error(`Cannot compile condition on field "${condition.field}"`);
    return `(${compileOne(target, condition, options.alias, bind)})`;
  });
  return { sql: parts.length > 0 ? parts.join(' AND ') : 'TRUE', params };
}

type Bind = (value: unknown, cast: string) => string;

function compileOne(target: ConditionTarget, condition: Condition, alias: string, bind: Bind): string {
  return target.kind === 'column'
    ? compileColumn(`${alias}.${COLUMNS[target.field]}`, condition, bind)
    : compileTag(alias, target.path, condition, bind);
}

function compileColumn(column: string, { operator, value }: Condition, bind: Bind): string {
  switch (operator) {
    case 'eq':
      return `${column} = ${bind(value, 'text')}`;
    case 'neq':
      return `${column} <> ${bind(value, 'text')}`;
    case 'in':
      return `${column} = ANY(${bind(value, 'text[]')})`;
    case 'contains':
      return `strpos(${column}, ${bind(value, 'text')}) > 0`;
    default:
      throw new Error(`Operator "${operator}" does not apply to ${column}`);
  }
}

function compileTag(alias: string, path: string[], { operator, value }: Condition, bind: Bind): string {
  const pathParam = bind(path, 'text[]');
  const at = `(${alias}.tags #> ${pathParam})`;
  switch (operator) {
    case 'eq': {
      const exact = `${at} = ${bind(JSON.stringify(value), 'jsonb')}`;
      // Containment lets the GIN index on tags narrow the scan; it cannot describe array
      // positions, so paths with an all-digit segment rely on the exact comparison alone.
      if (path.some((segment) => /^\d+$/.test(segment))) return exact;
      return `${alias}.tags @> ${bind(JSON.stringify(nest(path, value)), 'jsonb')} AND ${exact}`;
    }
    case 'neq':
      return `${at} IS DISTINCT FROM ${bind(JSON.stringify(value), 'jsonb')}`;
    case 'in':
      return `${at} = ANY(${bind((value as unknown[]).map((item) => JSON.stringify(item)), 'jsonb[]')})`;
    case 'contains': {
      const needle = bind(value, 'text');
      return (
        `CASE jsonb_typeof(${at}) ` +
        `WHEN 'string' THEN strpos(${alias}.tags #>> ${pathParam}, ${needle}) > 0 ` +
        `WHEN 'array' THEN ${at} @> jsonb_build_array(${needle}) ` +
        `ELSE false END`
      );
    }
    case 'gt':
    case 'lt':
      // CASE, not AND: PostgreSQL may evaluate AND operands in any order, and casting a
      // non-number to numeric raises an error instead of answering false.
      return `CASE WHEN jsonb_typeof(${at}) = 'number' THEN ${at}::numeric ${operator === 'gt' ? '>' : '<'} ${bind(value, 'numeric')} ELSE false END`;
  }
}

function nest(path: string[], value: unknown): unknown {
  return path.reduceRight<unknown>((inner, segment) => ({ [segment]: inner }), value);
}
