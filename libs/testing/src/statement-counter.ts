import type { DataSource, QueryRunner } from 'typeorm';

type Client = { query: (config: string | { text: string }, ...rest: unknown[]) => unknown };

/**
 * `source` as it is, but listing every statement it is asked to run outside a transaction: those
 * run through `query` and those run prepared (`queryPrepared`), which take a query runner's
 * connection instead.
 */
export function countingStatements(source: DataSource): { executor: DataSource; statements: string[] } {
  const statements: string[] = [];
  const counting = (client: Client): Client =>
    new Proxy(client, {
      get: (target, key, receiver) =>
        key === 'query'
          ? (config: string | { text: string }, ...rest: unknown[]) => {
              statements.push(typeof config === 'string' ? config : config.text);
              return target.query(config, ...rest);
            }
          : Reflect.get(target, key, receiver),
    });
  const executor = new Proxy(source, {
    get: (target, key, receiver) => {
      if (key === 'query') {
        return (sql: string, params?: unknown[]) => {
          statements.push(sql);
          return target.query(sql, params);
        };
      }
      if (key === 'createQueryRunner') {
        return (...args: Parameters<DataSource['createQueryRunner']>): QueryRunner => {
          const runner = target.createQueryRunner(...args);
          const connect = runner.connect.bind(runner);
          runner.connect = async () => counting((await connect()) as Client);
          return runner;
        };
      }
      return Reflect.get(target, key, receiver);
    },
  });
  return { executor, statements };
}
