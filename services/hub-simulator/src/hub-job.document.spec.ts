import { readJobRequest, renderJob } from './hub-job.document';

const NOW = Date.parse('2026-12-05T10:00:00Z');

describe('hub job requests', () => {
  it('reads a twin update job as azure-iothub sends it', () => {
    const spec = readJobRequest(
      'j1',
      {
        jobId: 'j1',
        type: 'scheduleUpdateTwin',
        updateTwin: { etag: '*', tags: { site: 'north' }, properties: { desired: { mode: 'eco' }, reported: {} } },
        queryCondition: "deviceId IN ['a', 'b']",
        startTime: '2026-12-05T11:00:00.000Z',
        maxExecutionTimeInSeconds: 300,
      },
      NOW,
    );
    expect(spec).toMatchObject({
      jobId: 'j1',
      type: 'scheduleUpdateTwin',
      updateTwin: { tags: { site: 'north' }, desired: { mode: 'eco' } },
      startTime: new Date('2026-12-05T11:00:00Z'),
      maxExecutionSeconds: 300,
      query: { conditions: [{ field: { kind: 'deviceId' }, operator: 'IN', values: ['a', 'b'] }] },
    });
  });

  it('reads a direct method job, its timeouts bounded as the hub bounds them', () => {
    const spec = readJobRequest(
      'j2',
      { type: 'scheduleDeviceMethod', cloudToDeviceMethod: { methodName: 'reboot', responseTimeoutInSeconds: 900 }, queryCondition: "tags.site = 'x'" },
      NOW,
    );
    expect(spec).toMatchObject({
      method: { methodName: 'reboot', payload: null, responseTimeoutInSeconds: 300, connectTimeoutInSeconds: 0 },
      startTime: new Date(NOW),
      maxExecutionSeconds: 3600,
    });
  });

  it('refuses what IoT Hub refuses, naming the field', () => {
    const base = { type: 'scheduleUpdateTwin', updateTwin: { tags: { a: 1 } }, queryCondition: "deviceId = 'a'" };
    expect(readJobRequest('j', { ...base, jobId: 'other' }, NOW)).toMatch(/jobId/);
    expect(readJobRequest('j', { ...base, type: 'export' }, NOW)).toMatch(/^type/);
    expect(readJobRequest('j', { ...base, queryCondition: '' }, NOW)).toMatch(/queryCondition/);
    expect(readJobRequest('j', { ...base, queryCondition: 'deviceId ~ 1' }, NOW)).toMatch(/invalid queryCondition/);
    expect(readJobRequest('j', { ...base, queryCondition: `deviceId IN [${"'x', ".repeat(2000)}'x']` }, NOW)).toMatch(/limit of 8192/);
    expect(readJobRequest('j', { ...base, updateTwin: { properties: { reported: { a: 1 } } } }, NOW)).toMatch(/reported/);
    expect(readJobRequest('j', { ...base, startTime: 'soon' }, NOW)).toMatch(/startTime/);
    expect(readJobRequest('j', { ...base, maxExecutionTimeInSeconds: 0 }, NOW)).toMatch(/maxExecutionTimeInSeconds/);
    expect(readJobRequest('j', { ...base, type: 'scheduleDeviceMethod' }, NOW)).toMatch(/methodName/);
  });

  it('answers device statistics from the per-device counts', () => {
    const rendered = renderJob({
      jobId: 'j',
      type: 'scheduleUpdateTwin',
      queryCondition: "deviceId = 'a'",
      updateTwin: { tags: { a: 1 } },
      method: null,
      status: 'running',
      createdTime: new Date(NOW),
      startTime: new Date(NOW),
      endTime: null,
      maxExecutionSeconds: 60,
      failureReason: null,
      statusMessage: null,
      counts: { completed: 3, failed: 1, running: 2, pending: 4 },
    });
    expect(rendered['deviceJobStatistics']).toEqual({ deviceCount: 10, failedCount: 1, succeededCount: 3, runningCount: 2, pendingCount: 4 });
    expect(rendered).not.toHaveProperty('endTime');
  });
});
