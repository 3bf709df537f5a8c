import { env } from '@fleetjobs/runtime';

/**
 * The PostgreSQL server the benches use, as a URL without a database: the one the tests use
 * (FLEETJOBS_TEST_DATABASE_URL, any database in it dropped), else the machine's own on 5432.
 */
export function benchPostgresServerUrl(): string {
  const url = new URL(env('FLEETJOBS_TEST_DATABASE_URL', '') || 'postgres://postgres@127.0.0.1:5432');
  url.pathname = '';
  return url.toString();
}
