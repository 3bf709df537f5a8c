import { EventEnvelope, JobApproved, JobCreated, JobReleased, TOPICS, toWireMessage } from '@fleetjobs/contracts';
import { TABLES } from '../device-set.schema';
import { DeviceSetTestApp, startDeviceSetTestApp, waitFor } from '../testing/device-set-test-app';

const SOURCE = '/fleetjobs/job-command';
const created = (jobId: string, needsApproval: boolean): JobCreated => ({
  id: `${jobId}:created`,
  type: 'JobCreated',
  version: 1,
  source: SOURCE,
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
    waitingFor: ['running-fan-job'],
    ...(needsApproval ? { approval: { required: true as const, reason: 'requested by its creator' }, createdBy: { id: 'user:alice', name: 'Alice' } } : {}),
  },
});
const approved = (jobId: string): JobApproved => ({
  id: `${jobId}:approved`,
  type: 'JobApproved',
  version: 1,
  source: SOURCE,
  subject: jobId,
  time: new Date().toISOString(),
  data: { jobId, approvedAt: new Date().toISOString(), approvedBy: { id: 'user:bob', name: 'Bob' } },
});
const released = (jobId: string): JobReleased => ({
  id: `${jobId}:released`,
  type: 'JobReleased',
  version: 1,
  source: SOURCE,
  subject: jobId,
  time: new Date().toISOString(),
  data: { jobId, releasedAt: new Date().toISOString() },
});

/** A job queued behind conflicting jobs (`waitingFor`) is targeted only after its JobReleased, whatever else comes first. */
describe('job targets of a queued job', () => {
  let t: DeviceSetTestApp;

  const publish = (...events: EventEnvelope[]) => t.eventLog.publish(events.map((event) => toWireMessage(TOPICS.jobs, event)));
  const targetingOf = (jobId: string) => t.events.seen.filter((event) => event.subject === jobId && event.source === '/fleetjobs/device-set');
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
    const devices = Array.from({ length: 5 }, (_, i) => ({ id: `vm-${i}`, displayName: `VM ${i}`, template: 'vending-machine', tags: { city: 'Seattle' } }));
    expect((await t.http('POST', '/api/devices/batch', { devices })).status).toBe(200);
    const conditions = [{ field: 'tags.city', operator: 'eq', value: 'Seattle' }];
    expect((await t.http('PUT', '/api/device-sets/seattle-vms', { displayName: 'Seattle VMs', conditions })).status).toBe(201);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('targets nothing until the release, then the members once', async () => {
    await publish(created('queued', false));
    await waitFor(async () => (await held('queued')) === 1, { what: 'the queued job to be held' });
    await targetsConsumerIdle();
    expect(targetingOf('queued')).toEqual([]);

    await publish(released('queued'), released('queued'));
    await waitFor(() => t.events.ofType('JobTargetingCompleted', 'queued').length === 1, { what: 'the released job to be targeted' });
    await targetsConsumerIdle();
    expect(targetingOf('queued').map((event) => event.type)).toEqual(['JobTargetsResolved', 'JobTargetingCompleted']);
    expect(await held('queued')).toBe(0);
  });

  it('is not released by its approval: only the release, decided after it, targets it', async () => {
    await publish(created('queued-approved', true), approved('queued-approved'));
    await targetsConsumerIdle();
    expect(await held('queued-approved')).toBe(1);
    expect(targetingOf('queued-approved')).toEqual([]);

    await publish(released('queued-approved'));
    await waitFor(() => t.events.ofType('JobTargetingCompleted', 'queued-approved').length === 1, { what: 'the released job to be targeted' });
    expect(t.events.ofType('JobTargetingCompleted', 'queued-approved')[0].data).toEqual({ jobId: 'queued-approved', total: 5, chunks: 1 });
  });
});
