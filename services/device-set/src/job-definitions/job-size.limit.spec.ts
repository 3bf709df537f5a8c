import { DEFAULT_MAX_DEVICES_PER_JOB, exceedsJobSize, readMaxDevicesPerJob } from './job-size.limit';

describe('the most devices one job may reach', () => {
  it('is a million unless set', () => {
    expect(readMaxDevicesPerJob({})).toBe(DEFAULT_MAX_DEVICES_PER_JOB);
    expect(readMaxDevicesPerJob({ MAX_DEVICES_PER_JOB: ' 2500 ' })).toBe(2500);
  });

  it.each(['0', '-3', '1.5', 'many'])('refuses MAX_DEVICES_PER_JOB=%s, naming the variable', (value) => {
    expect(() => readMaxDevicesPerJob({ MAX_DEVICES_PER_JOB: value })).toThrow(/MAX_DEVICES_PER_JOB/);
  });

  it('lets a set of exactly the limit through and refuses one more', () => {
    expect(exceedsJobSize(100, 100)).toBe(false);
    expect(exceedsJobSize(101, 100)).toBe(true);
  });
});
