import { DEFAULT_JOB_RETENTION_DAYS, retentionDaysFromEnv } from './job-retention.config';

describe('JOB_RETENTION_DAYS', () => {
  it('is 30 days when unset or blank', () => {
    expect(DEFAULT_JOB_RETENTION_DAYS).toBe(30);
    expect(retentionDaysFromEnv(undefined)).toBe(30);
    expect(retentionDaysFromEnv('  ')).toBe(30);
  });

  it('takes a whole number of days, 0 included', () => {
    expect(retentionDaysFromEnv('7')).toBe(7);
    expect(retentionDaysFromEnv('0')).toBe(0);
  });

  it.each(['-1', '1.5', 'thirty'])('refuses %s', (raw) => {
    expect(() => retentionDaysFromEnv(raw)).toThrow(/JOB_RETENTION_DAYS must be a whole number of days/);
  });
});
