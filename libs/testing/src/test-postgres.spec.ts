import { testPostgresServerUrl, testPostgresUrl } from './test-postgres';

describe('the tests’ PostgreSQL server', () => {
  const saved = process.env.FLEETJOBS_TEST_DATABASE_URL;
  afterEach(() => {
    if (saved === undefined) delete process.env.FLEETJOBS_TEST_DATABASE_URL;
    else process.env.FLEETJOBS_TEST_DATABASE_URL = saved;
  });

  it('is the local server on 5432 when FLEETJOBS_TEST_DATABASE_URL is not set', () => {
    delete process.env.FLEETJOBS_TEST_DATABASE_URL;
    expect(testPostgresServerUrl()).toBe('postgres://postgres@127.0.0.1:5432');
    expect(testPostgresUrl()).toBe('postgres://postgres@127.0.0.1:5432/postgres');
  });

  it('is FLEETJOBS_TEST_DATABASE_URL when set, with any database in it replaced by the one asked for', () => {
    process.env.FLEETJOBS_TEST_DATABASE_URL = 'postgres://postgres:postgres@localhost:32768/postgres';
    expect(testPostgresServerUrl()).toBe('postgres://postgres:postgres@localhost:32768');
    expect(testPostgresUrl('fleetjobs_x')).toBe('postgres://postgres:postgres@localhost:32768/fleetjobs_x');
  });

  it('reads no former name: POSTGRES_URL or BENCH_POSTGRES_URL alone leave the local server', () => {
    expect(testPostgresServerUrl({ POSTGRES_URL: 'postgres://a@db:1', BENCH_POSTGRES_URL: 'postgres://b@db:2' })).toBe('postgres://postgres@127.0.0.1:5432');
  });
});
