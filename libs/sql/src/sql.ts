import { DataSource, EntityManager } from 'typeorm';

/** Anything that runs SQL: the DataSource outside a transaction, the EntityManager inside one. */
export type SqlExecutor = DataSource | EntityManager;

/**
 * Runs a statement and returns its rows. TypeORM's postgres driver answers UPDATE and DELETE
 * with `[rows, affectedCount]` and everything else with `rows`; callers always want the rows.
 */
export async function queryRows<T = Record<string, unknown>>(
  executor: SqlExecutor,
  sql: string,
  params: unknown[] = [],
): Promise<T[]> {
  const result = await executor.query(sql, params);
  if (Array.isArray(result) && result.length === 2 && Array.isArray(result[0]) && typeof result[1] === 'number') {
    return result[0] as T[];
  }
  return result as T[];
}

/** Builds `($1,$2,$3),($4,$5,$6)…` for a multi-row INSERT and the flat parameter list. */
export function valuesList(rows: unknown[][], casts: string[] = []): { sql: string; params: unknown[] } {
  const params: unknown[] = [];
  const tuples = rows.map((row) => {
    const placeholders = row.map((value, column) => {
      params.push(value);
      const cast = casts[column] ? `::${casts[column]}` : '';
      return `$${params.length}${cast}`;
    });
    return `(${placeholders.join(',')})`;
  });
  return { sql: tuples.join(','), params };
}

/** PostgreSQL's unique_violation. */
export function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: string }).code === '23505';
}
