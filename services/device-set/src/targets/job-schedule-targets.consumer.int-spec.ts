import { EventEnvelope, JobApproved, JobCreated, JobStartReached, TOPICS, toWireMessage } from '@fleetjobs/contracts';
import { TABLES } from '../device-set.schema';
import { DeviceSetTestApp, startDeviceSetTestApp, waitFor } from '../testing/device-set-test-app';

const startAt = '2030-01-31T01:00:00.000Z';
const envelope = <E extends EventEnvelope>(jobId: string, suffix: string, type: E['type'], data: E['data']): E =>
  ({ id: `${jobId}:${suffix}`, type, version: 1, source: '/fleetjobs/job-command', subject: jobId, time: new Date().toISOString(), data }) as E;
const created = (jobId: string, extra: Partial<JobCreated['data']> = {}): JobCreated =>
  envelope<JobCreated>(jobId, 'created', 'JobCreated', {
    jobId,
    displayName: jobId,
    description: '',
    deviceSet: 'seattle-vms',
    devices: null,
    operations: [{ type: 'setting', name: 'fanSpeed', value: 5 }],
    template: 'vending-machine',
    createdAt: new Date().toISOString(),
    schedule: { startAt },
    ...extra,
  });
const approved = (jobId: string) =>
  envelope<JobApproved>(jobId, 'approved', 'JobApproved', { jobId, approvedAt: new Date().toISOString(), approvedBy: { id: 'user:bob', name: 'Bob' } });
const reached = (jobId: string) => envelope<JobStartReached>(jobId, 'reached', 'JobStartReached', { jobId, startAt, reachedAt: startAt });

/** A scheduled job is targeted only once its start is reached; its approval alone does not release it. */
describe('job targets of a scheduled job', () => {
  let t: DeviceSetTestApp;

  const publish = (...events: EventEnvelope[]) => t.eventLog.publish(events.map((event) => toWireMessage(TOPICS.jobs, event)));
  const held = async (jobId: string) =>
    (await t.dataSource.query(`SELECT count(*)::int AS n FROM ${TABLES.awaitingApproval} WHERE job_id = $1`, [jobId]))[0].n as number;
  const targetsConsumerIdle = async () => {
    const subscription = t.server!.activeSubscriptions.find((s) => s.groupId === 'device-set.targets');
    await waitFor(async () => (await subscription!.lag()) === 0, { what: 'the targets consumer to catch up' });
    await t.settled();
  };

  beforeAll(async () => {
    t = await startDeviceSetTestApp({ consumers: true });
    await t.http('PUT', '/api/device-templates/vending-machine', { displayName: 'VM', capabilities: [] });
    const devices = Array.from({ length: 3 }, (_, i) => ({ id: `vm-${i}`, displayName: `VM ${i}`, template: 'vending-machine', tags: { city: 'Seattle' } }));
    expect((await t.http('POST', '/api/devices/batch', { devices })).status).toBe(200);
    const conditions = [{ field: 'tags.city', operator: 'eq', value: 'Seattle' }];
    expect((await t.http('PUT', '/api/device-sets/seattle-vms', { displayName: 'Seattle VMs', conditions })).status).toBe(201);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('holds it until its start is reached, then targets it once', async () => {
    await publish(created('later'));
    await waitFor(async () => (await held('later')) === 1, { what: 'the job to be held for its start' });
    await targetsConsumerIdle();
    expect(t.events.ofType('JobTargetingCompleted', 'later')).toEqual([]);

    await publish(reached('later'), reached('later'));
    await waitFor(() => t.events.ofType('JobTargetingCompleted', 'later').length === 1, { what: 'the job to be targeted at its start' });
    await targetsConsumerIdle();
    expect(t.events.ofType('JobTargetingCompleted', 'later').map((event) => event.data)).toEqual([{ jobId: 'later', total: 3, chunks: 1 }]);
    expect(await held('later')).toBe(0);
  });

  it('a scheduled job that needs approval stays held when approved: its start releases it', async () => {
    await publish(created('later-ok', { approval: { required: true, reason: 'requested by its creator' } }), approved('later-ok'));
    await targetsConsumerIdle();
    expect(await held('later-ok')).toBe(1);
    expect(t.events.ofType('JobTargetingCompleted', 'later-ok')).toEqual([]);

    await publish(reached('later-ok'));
    await waitFor(() => t.events.ofType('JobTargetingCompleted', 'later-ok').length === 1, { what: 'the approved job to be targeted at its start' });
  });

  it('a job with windows only is targeted at once', async () => {
    await publish(created('windowed', { schedule: { windows: [{ start: '02:00', end: '04:00', timeZone: 'UTC' }] } }));
    await waitFor(() => t.events.ofType('JobTargetingCompleted', 'windowed').length === 1, { what: 'the windowed job to be targeted' });
  });
});
