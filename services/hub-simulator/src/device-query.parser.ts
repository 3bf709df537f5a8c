/**
 * The subset of the IoT Hub query language the simulator answers:
 * `SELECT <projection> FROM devices [WHERE <condition> [AND <condition>]...]` where the projection is
 * `*` or a list of `<path> [AS <alias>]` (a path is `deviceId`, `etag`, `connectionState`, or a dotted path under `tags`,
 * `properties.desired` or `properties.reported`; each answer holds the values found, under the
 * alias or the path's last name), a condition is
 * `<field> = <literal>`, `<field> != <literal>` or `<field> IN [<literal>, ...]`, a field is
 * `deviceId` or a dotted path under `tags.`, and a literal is a 'string', a number, true or false.
 */
export type QueryLiteral = string | number | boolean;

export type QueryCondition =
  | { field: QueryField; operator: '=' | '!='; value: QueryLiteral }
  | { field: QueryField; operator: 'IN'; values: QueryLiteral[] };

export type QueryField = { kind: 'deviceId' } | { kind: 'tag'; path: string[] };

/** A projected value: its path in the twin document and the name it is answered under. */
export interface SelectedField {
  path: string[];
  name: string;
}

export interface DeviceQuery {
  select: '*' | SelectedField[];
  conditions: QueryCondition[];
}

export class QueryParseError extends Error {}

const TOKEN = /\s*(?:('(?:[^'\\]|\\.|'')*')|(-?\d+(?:\.\d+)?)|(!=|<>|=|\[|\]|,|\*)|([A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*))/y;

export function parseDeviceQuery(text: string): DeviceQuery {
  const tokens = tokenize(text);
  let position = 0;
  const next = (): string | undefined => tokens[position++];
  const expectKeyword = (keyword: string): void => {
    const token = next();
    if (token?.toUpperCase() !== keyword) throw new QueryParseError(`expected ${keyword} but found ${token ?? 'the end'}`);
  };
  expectKeyword('SELECT');
  const select = parseSelect(next, () => tokens[position]);
  expectKeyword('FROM');
  if (next()?.toLowerCase() !== 'devices') throw new QueryParseError('only FROM devices is supported');
  const conditions: QueryCondition[] = [];
  if (position < tokens.length) {
    expectKeyword('WHERE');
    for (;;) {
      conditions.push(parseCondition(next, () => tokens[position]));
      if (position >= tokens.length) break;
      expectKeyword('AND');
    }
  }
  return { select, conditions };
}

function parseSelect(next: () => string | undefined, peek: () => string | undefined): DeviceQuery['select'] {
  if (peek() === '*') {
    next();
    return '*';
  }
  const fields: SelectedField[] = [];
  for (;;) {
    const token = next();
    if (!token || !/^[A-Za-z_$]/.test(token)) throw new QueryParseError(`expected * or a field to select but found ${token ?? 'the end'}`);
    const path = token.split('.');
    const selectable =
      (path.length === 1 && (path[0] === 'deviceId' || path[0] === 'etag' || path[0] === 'connectionState')) ||
      (path[0] === 'tags' && path.length >= 1) ||
      (path[0] === 'properties' && (path[1] === 'desired' || path[1] === 'reported'));
    if (!selectable) throw new QueryParseError(`unsupported field ${token} in SELECT`);
    let name = path[path.length - 1];
    if (peek()?.toUpperCase() === 'AS') {
      next();
      const alias = next();
      if (!alias || !/^[A-Za-z_][\w]*$/.test(alias)) throw new QueryParseError(`expected a name after AS but found ${alias ?? 'the end'}`);
      name = alias;
    }
    fields.push({ path, name });
    if (peek() !== ',') return fields;
    next();
  }
}

/** An answer of the query for one twin document: the whole document, or the selected values found in it. */
export function projectTwin(query: DeviceQuery, twin: Record<string, unknown>): Record<string, unknown> {
  if (query.select === '*') return twin;
  const answer: Record<string, unknown> = {};
  for (const field of query.select) {
    let value: unknown = twin;
    for (const key of field.path) value = value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
    if (value !== undefined) answer[field.name] = value;
  }
  return answer;
}

function parseCondition(next: () => string | undefined, peek: () => string | undefined): QueryCondition {
  const field = parseField(next());
  const operator = next()?.toUpperCase();
  if (operator === '=' || operator === '!=' || operator === '<>') {
    return { field, operator: operator === '=' ? '=' : '!=', value: parseLiteral(next()) };
  }
  if (operator === 'IN') {
    if (next() !== '[') throw new QueryParseError('expected [ after IN');
    const values: QueryLiteral[] = [];
    while (peek() !== ']') {
      values.push(parseLiteral(next()));
      if (peek() === ',') next();
      else if (peek() !== ']') throw new QueryParseError('expected , or ] in the IN list');
    }
    next();
    return { field, operator: 'IN', values };
  }
  throw new QueryParseError(`unsupported operator ${operator ?? '(none)'}`);
}

function parseField(token: string | undefined): QueryField {
  if (!token) throw new QueryParseError('expected a field');
  if (token === 'deviceId') return { kind: 'deviceId' };
  const [root, ...path] = token.split('.');
  if (root === 'tags' && path.length > 0) return { kind: 'tag', path };
  throw new QueryParseError(`unsupported field ${token}`);
}

function parseLiteral(token: string | undefined): QueryLiteral {
  if (token === undefined) throw new QueryParseError('expected a value');
  if (token.startsWith("'")) return token.slice(1, -1).replace(/\\(.)/g, '$1').replace(/''/g, "'");
  if (/^-?\d/.test(token)) return Number(token);
  if (token === 'true' || token === 'false') return token === 'true';
  throw new QueryParseError(`unsupported value ${token}`);
}

function tokenize(text: string): string[] {
  const tokens: string[] = [];
  TOKEN.lastIndex = 0;
  const trimmed = text.trim();
  while (TOKEN.lastIndex < trimmed.length) {
    const start = TOKEN.lastIndex;
    const match = TOKEN.exec(trimmed);
    if (!match) throw new QueryParseError(`cannot read the query at "${trimmed.slice(start, start + 20)}"`);
    tokens.push(match[1] ?? match[2] ?? match[3] ?? match[4]);
  }
  return tokens;
}

/** Turns the conditions into a SQL predicate over `hub_simulator.devices` (id, tags). */
export function toSqlPredicate(query: DeviceQuery, firstParam: number): { sql: string; params: unknown[] } {
  const params: unknown[] = [];
  const placeholder = (value: unknown, cast: string): string => {
    params.push(value);
    return `$${firstParam + params.length - 1}::${cast}`;
  };
  const parts = query.conditions.map((condition) => {
    const column =
      condition.field.kind === 'deviceId' ? 'id' : `tags #> ${placeholder(condition.field.path, 'text[]')}`;
    const isId = condition.field.kind === 'deviceId';
    const cast = isId ? 'text' : 'jsonb';
    const literal = (value: QueryLiteral): unknown => (isId ? String(value) : JSON.stringify(value));
    if (condition.operator === 'IN') {
      return isId
        ? `id = ANY(${placeholder(condition.values.map(String), 'text[]')})`
        : `${column} IN (${condition.values.map((value) => placeholder(literal(value), cast)).join(',') || 'NULL'})`;
    }
    const comparison = `${column} = ${placeholder(literal(condition.value), cast)}`;
    return condition.operator === '=' ? comparison : `(${column} IS NULL OR NOT (${comparison}))`;
  });
  return { sql: parts.length ? parts.join(' AND ') : 'TRUE', params };
}
