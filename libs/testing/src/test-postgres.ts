import { TEST_DATABASE_VARIABLE } from './infrastructure/test-infrastructure.decider';

/** The PostgreSQL server of the tests when nothing says otherwise: the machine's own, trust auth. */
export const LOCAL_TEST_POSTGRES_URL = 'postgres://postgres@127.0.0.1:5432';

/**
 * The PostgreSQL server the tests run against, as a URL without a database:
 * FLEETJOBS_TEST_DATABASE_URL when set (by hand, or by the Jest global setup after it started a
 * container), else the local server on 5432. A database named in it is dropped: each test picks its own.
 */
export function testPostgresServerUrl(environment: Readonly<Record<string, string | undefined>> = process.env): string {
  const url = new URL(environment[TEST_DATABASE_VARIABLE]?.trim() || LOCAL_TEST_POSTGRES_URL);
  url.pathname = '';
  return url.toString();
}

/** A connection URL to `database` on the tests' server (default: the `postgres` maintenance database). */
export function testPostgresUrl(database = 'postgres'): string {
  const url = new URL(testPostgresServerUrl());
  url.pathname = `/${database}`;
  return url.toString();
}
