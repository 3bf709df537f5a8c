import { JobCreated, JobStopped, TOPICS, toWireMessage } from '@fleetjobs/contracts';
import { DeviceSetTestApp, startDeviceSetTestApp, waitFor } from '../testing/device-set-test-app';
import { ResolveJobTargetsHandler } from './resolve-job-targets.handler';

const jobCreated = (jobId: string, deviceSet: string, devices: string[] | null = null): JobCreated => ({
  id: `${jobId}:created`,
  type: 'JobCreated',
  version: 1,
  source: '/fleetjobs/job-command',
  subject: jobId,
  time: new Date().toISOString(),
  correlationId: `corr-${jobId}`,
  data: {
    jobId,
    displayName: jobId,
    description: '',
    deviceSet,
    devices,
    operations: [{ type: 'setting', name: 'fanSpeed', value: 5 }],
    template: 'vending-machine',
    createdAt: new Date().toISOString(),
  },
});

describe('job targets consumer', () => {
  let t: DeviceSetTestApp;

  const publish = (...events: (JobCreated | JobStopped)[]) =>
    t.eventLog.publish(events.map((event) => toWireMessage(TOPICS.jobs, event)));
  const jobEvents = (jobId: string) =>
    t.events.seen.filter((event) => event.subject === jobId && event.source === '/fleetjobs/device-set');
  const completedOf = (jobId: string) => t.events.ofType('JobTargetingCompleted', jobId);
  const failedOf = (jobId: string) => t.events.ofType('JobTargetingFailed', jobId);
  const targetsConsumerIdle = async () => {
    const subscription = t.server!.activeSubscriptions.find((s) => s.groupId === 'device-set.targets');
    await waitFor(async () => (await subscription!.lag()) === 0, { what: 'the targets consumer to catch up' });
    await t.settled();
  };

  beforeAll(async () => {
    t = await startDeviceSetTestApp({ consumers: true });
    await t.http('PUT', '/api/device-templates/vending-machine', { displayName: 'VM', capabilities: [] });
    await t.http('PUT', '/api/device-templates/doomed', { displayName: 'Doomed', capabilities: [] });
    const devices = Array.from({ length: 2_100 }, (_, i) => ({
      id: `vm-${String(i).padStart(5, '0')}`,
      displayName: `VM ${i}`,
      template: 'vending-machine',
      tags: { city: i < 2_000 ? 'Seattle' : 'Tacoma' },
    }));
    expect((await t.http('POST', '/api/devices/batch', { devices })).status).toBe(200);
    const sets: [string, unknown[]][] = [
      ['seattle-vms', [{ field: 'template', operator: 'eq', value: 'vending-machine' }, { field: 'tags.city', operator: 'eq', value: 'Seattle' }]],
      ['nowhere', [{ field: 'tags.city', operator: 'eq', value: 'Atlantis' }]],
      ['doomed-set', [{ field: 'template', operator: 'eq', value: 'doomed' }]],
    ];
    for (const [id, conditions] of sets) {
      expect((await t.http('PUT', `/api/device-sets/${id}`, { displayName: id, conditions })).status).toBe(201);
    }
    await t.http('DELETE', '/api/device-templates/doomed');
  });
  afterAll(async () => {
    await t?.close();
  });

  it('publishes 2,000 members as 4 chunks of 500 in id order, then the completion', async () => {
    await publish(jobCreated('job-1', 'seattle-vms'));
    await waitFor(() => completedOf('job-1').length === 1, { what: 'JobTargetingCompleted of job-1' });

    const chunks = t.events.ofType('JobTargetsResolved', 'job-1');
    expect(chunks.map((event) => [event.id, event.data.chunk, event.data.devices.length])).toEqual([
      ['job-1:targets:0', 0, 500],
      ['job-1:targets:1', 1, 500],
      ['job-1:targets:2', 2, 500],
      ['job-1:targets:3', 3, 500],
    ]);
    const deviceIds = chunks.flatMap((event) => event.data.devices.map((device) => device.deviceId));
    expect(deviceIds).toEqual(Array.from({ length: 2_000 }, (_, i) => `vm-${String(i).padStart(5, '0')}`));
    expect(chunks[0].data.devices[7]).toEqual({ deviceId: 'vm-00007', displayName: 'VM 7' });

    const [completed] = completedOf('job-1');
    expect(completed.id).toBe('job-1:targets:completed');
    expect(completed.data).toEqual({ jobId: 'job-1', total: 2_000, chunks: 4 });
    for (const event of [...chunks, completed]) {
      expect(event.subject).toBe('job-1');
      expect(event.correlationId).toBe('corr-job-1');
      expect(event.causationId).toBe('job-1:created');
    }
  });

  it('publishes nothing new when the same JobCreated is delivered again, and ignores other job events', async () => {
    await targetsConsumerIdle();
    const before = jobEvents('job-1').length;
    expect(before).toBe(5);
    const stopped: JobStopped = {
      id: 'job-1:stopped',
      type: 'JobStopped',
      version: 1,
      source: '/fleetjobs/job-command',
      subject: 'job-1',
      time: new Date().toISOString(),
      data: { jobId: 'job-1', stoppedAt: new Date().toISOString() },
    };
    await publish(jobCreated('job-1', 'seattle-vms'), stopped);
    await targetsConsumerIdle();
    expect(jobEvents('job-1')).toHaveLength(before);
    expect(await t.app.get(ResolveJobTargetsHandler).resolve(jobCreated('job-1', 'seattle-vms'))).toBe(false);
  });

  it('intersects the members with the explicit devices of the job', async () => {
    await publish(jobCreated('job-2', 'seattle-vms', ['vm-01999', 'vm-00003', 'vm-02050', 'ghost', 'vm-00010']));
    await waitFor(() => completedOf('job-2').length === 1, { what: 'JobTargetingCompleted of job-2' });
    const chunks = t.events.ofType('JobTargetsResolved', 'job-2');
    expect(chunks).toHaveLength(1);
    expect(chunks[0].data.devices.map((device) => device.deviceId)).toEqual(['vm-00003', 'vm-00010', 'vm-01999']);
    expect(completedOf('job-2')[0].data).toEqual({ jobId: 'job-2', total: 3, chunks: 1 });
  });

  it('completes a job whose set has no members with total 0', async () => {
    await publish(jobCreated('job-3', 'nowhere'));
    await waitFor(() => completedOf('job-3').length === 1, { what: 'JobTargetingCompleted of job-3' });
    expect(completedOf('job-3')[0].data).toEqual({ jobId: 'job-3', total: 0, chunks: 0 });
    expect(t.events.ofType('JobTargetsResolved', 'job-3')).toHaveLength(0);
  });

  it("carries each target's timezone tag as its zone: absent without one, or with one that is no string or too long", async () => {
    const tagged: [string, unknown][] = [['tz-1', 'Europe/Berlin'], ['tz-2', undefined], ['tz-3', 'Mars/Olympus'], ['tz-4', 7], ['tz-5', 'x'.repeat(65)]];
    const devices = tagged.map(([id, timezone]) => ({
      id,
      displayName: id,
      template: 'vending-machine',
      tags: { city: 'Zoned', ...(timezone === undefined ? {} : { timezone }) },
    }));
    expect((await t.http('POST', '/api/devices/batch', { devices })).status).toBe(200);
    const conditions = [{ field: 'tags.city', operator: 'eq', value: 'Zoned' }];
    expect((await t.http('PUT', '/api/device-sets/zoned-vms', { displayName: 'Zoned', conditions })).status).toBe(201);
    await publish(jobCreated('job-zoned', 'zoned-vms'));
    await waitFor(() => completedOf('job-zoned').length === 1, { what: 'JobTargetingCompleted of job-zoned' });
    expect(t.events.ofType('JobTargetsResolved', 'job-zoned').flatMap((event) => event.data.devices)).toEqual([
      { deviceId: 'tz-1', displayName: 'tz-1', timeZone: 'Europe/Berlin' },
      { deviceId: 'tz-2', displayName: 'tz-2' },
      { deviceId: 'tz-3', displayName: 'tz-3', timeZone: 'Mars/Olympus' },
      { deviceId: 'tz-4', displayName: 'tz-4' },
      { deviceId: 'tz-5', displayName: 'tz-5' },
    ]);
  });

  it('fails targeting when the set is broken or gone', async () => {
    await publish(jobCreated('job-4', 'doomed-set'), jobCreated('job-5', 'vanished'));
    await waitFor(() => failedOf('job-4').length === 1 && failedOf('job-5').length === 1, { what: 'JobTargetingFailed of job-4 and job-5' });
    expect(failedOf('job-4')[0].id).toBe('job-4:targets:failed');
    expect(failedOf('job-4')[0].data).toEqual({
      jobId: 'job-4',
      reason: 'device set "doomed-set" is broken: template "doomed" no longer exists',
    });
    expect(failedOf('job-5')[0].data).toEqual({ jobId: 'job-5', reason: 'device set "vanished" does not exist' });
    await targetsConsumerIdle();
    expect(jobEvents('job-4')).toHaveLength(1);
    expect(jobEvents('job-5')).toHaveLength(1);
  });
});
