import { testPostgresServerUrl, testPostgresUrl } from './test-postgres';

describe('the tests’ PostgreSQL server', () => {
  const saved = process.env.POSTGRES_URL;
  afterEach(() => {
    if (saved === undefined) delete process.env.POSTGRES_URL;
    else process.env.POSTGRES_URL = saved;
  });

  it('is the local server on 5432 when POSTGRES_URL is not set', () => {
    delete process.env.POSTGRES_URL;
    expect(testPostgresServerUrl()).toBe('postgres://postgres@127.0.0.1:5432');
    expect(testPostgresUrl()).toBe('postgres://postgres@127.0.0.1:5432/postgres');
  });

  it('is POSTGRES_URL when set, with any database in it replaced by the one asked for', () => {
    process.env.POSTGRES_URL = 'postgres://postgres:postgres@localhost:32768/postgres';
    expect(testPostgresServerUrl()).toBe('postgres://postgres:postgres@localhost:32768');
    expect(testPostgresUrl('fleetjobs_x')).toBe('postgres://postgres:postgres@localhost:32768/fleetjobs_x');
  });
});
