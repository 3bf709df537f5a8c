import { QueryParseError } from './device-query.parser';
import { isDeviceJobsQuery, parseDeviceJobsQuery } from './device-jobs-query.parser';

describe('devices.jobs query parser', () => {
  it('reads the conditions IoT Hub documents for per-device job results', () => {
    expect(parseDeviceJobsQuery("SELECT * FROM devices.jobs WHERE devices.jobs.jobId = 'myJobId'")).toEqual({
      conditions: [{ field: 'jobId', value: 'myJobId' }],
    });
    expect(
      parseDeviceJobsQuery("select * from devices.jobs where devices.jobs.deviceId = 'd''1' and devices.jobs.status = 'completed'"),
    ).toEqual({ conditions: [{ field: 'deviceId', value: "d'1" }, { field: 'status', value: 'completed' }] });
    expect(parseDeviceJobsQuery('SELECT * FROM devices.jobs')).toEqual({ conditions: [] });
  });

  it('tells job queries from twin queries', () => {
    expect(isDeviceJobsQuery("SELECT * FROM devices.jobs WHERE devices.jobs.jobId = 'j'")).toBe(true);
    expect(isDeviceJobsQuery("SELECT * FROM devices WHERE tags.jobs = 'x'")).toBe(false);
  });

  it('refuses projections and other fields, as IoT Hub does on devices.jobs', () => {
    expect(() => parseDeviceJobsQuery('SELECT deviceId FROM devices.jobs')).toThrow(QueryParseError);
    expect(() => parseDeviceJobsQuery("SELECT * FROM devices.jobs WHERE devices.jobs.outcome = 'x'")).toThrow(/unsupported field/);
    expect(() => parseDeviceJobsQuery("SELECT * FROM devices.jobs WHERE tags.site = 'x'")).toThrow(QueryParseError);
    expect(() => parseDeviceJobsQuery("SELECT * FROM devices.jobs WHERE devices.jobs.jobId = 'a' OR devices.jobs.jobId = 'b'")).toThrow(/expected AND/);
  });
});
