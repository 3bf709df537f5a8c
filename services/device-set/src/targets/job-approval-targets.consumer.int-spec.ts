import { EventEnvelope, JobApproved, JobCreated, JobStopped, TOPICS, toWireMessage } from '@fleetjobs/contracts';
import { TABLES } from '../device-set.schema';
import { DeviceSetTestApp, startDeviceSetTestApp, waitFor } from '../testing/device-set-test-app';

const created = (jobId: string): JobCreated => ({
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
    deviceSet: 'seattle-vms',
    devices: null,
    operations: [{ type: 'setting', name: 'fanSpeed', value: 5 }],
    template: 'vending-machine',
    createdAt: new Date().toISOString(),
    approval: { required: true, reason: 'requested by its creator' },
    createdBy: { id: 'user:alice', name: 'Alice' },
  },
});
const approved = (jobId: string): JobApproved => ({
  id: `${jobId}:approved`,
  type: 'JobApproved',
  version: 1,
  source: '/fleetjobs/job-command',
  subject: jobId,
  time: new Date().toISOString(),
  data: { jobId, approvedAt: new Date().toISOString(), approvedBy: { id: 'user:bob', name: 'Bob' } },
});
const stopped = (jobId: string): JobStopped => ({
  id: `${jobId}:stopped`,
  type: 'JobStopped',
  version: 1,
  source: '/fleetjobs/job-command',
  subject: jobId,
  time: new Date().toISOString(),
  data: { jobId, stoppedAt: new Date().toISOString() },
});

/** A job that needs a second person's approval is targeted only after its JobApproved, and never once stopped. */
describe('job targets of a job that needs approval', () => {
  let t: DeviceSetTestApp;

  const publish = (...events: EventEnvelope[]) => t.eventLog.publish(events.map((event) => toWireMessage(TOPICS.jobs, event)));
  const targetingOf = (jobId: string) =>
    t.events.seen.filter((event) => event.subject === jobId && event.source === '/fleetjobs/device-set');
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
    const devices = Array.from({ length: 12 }, (_, i) => ({
      id: `vm-${String(i).padStart(3, '0')}`,
      displayName: `VM ${i}`,
      template: 'vending-machine',
      tags: { city: 'Seattle' },
    }));
    expect((await t.http('POST', '/api/devices/batch', { devices })).status).toBe(200);
    const conditions = [{ field: 'tags.city', operator: 'eq', value: 'Seattle' }];
    expect((await t.http('PUT', '/api/device-sets/seattle-vms', { displayName: 'Seattle VMs', conditions })).status).toBe(201);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('targets nothing until the approval, then the members once, however often each event is delivered', async () => {
    await publish(created('needs-ok'));
    await waitFor(async () => (await held('needs-ok')) === 1, { what: 'the job to be held for its approval' });
    await publish(created('needs-ok'));
    await targetsConsumerIdle();
    expect(targetingOf('needs-ok')).toEqual([]);

    await publish(approved('needs-ok'));
    await waitFor(() => t.events.ofType('JobTargetingCompleted', 'needs-ok').length === 1, { what: 'the approved job to be targeted' });
    expect(t.events.ofType('JobTargetingCompleted', 'needs-ok')[0].data).toEqual({ jobId: 'needs-ok', total: 12, chunks: 1 });
    expect(await held('needs-ok')).toBe(0);

    await publish(created('needs-ok'), approved('needs-ok'));
    await targetsConsumerIdle();
    expect(targetingOf('needs-ok').map((event) => event.type)).toEqual(['JobTargetsResolved', 'JobTargetingCompleted']);
  });

  it('never targets a job stopped before its approval', async () => {
    await publish(created('stopped-first'), stopped('stopped-first'));
    await targetsConsumerIdle();
    expect(await held('stopped-first')).toBe(0);
    // Even an approval that arrived after the stop (job-command never decides one) targets nothing.
    await publish(approved('stopped-first'));
    await targetsConsumerIdle();
    expect(targetingOf('stopped-first')).toEqual([]);
  });
});
