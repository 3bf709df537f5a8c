import { LoggedOperation } from '@fleetjobs/hub-simulator';
import { FleetjobsClient, uniqueId } from '../support/fleetjobs.client';
import { createFleet, waitForJobEnd } from '../support/fleet.fixture';
import { allHubOperations } from '../support/hub-operations';
import { systemUnderTest } from '../support/system-under-test';

const { api, hub } = systemUnderTest();

afterAll(() => hub.close());

interface Operator {
  id: string;
  name: string;
  api: FleetjobsClient;
}

/** An operator API token made with the administrator token the system was started with. */
async function anOperator(name: string): Promise<Operator> {
  const created = await api.post('/api/tokens', { name: uniqueId(name), role: 'operator' });
  expect(created.status).toBe(201);
  return { id: `token:${created.body.id}`, name: created.body.name, api: api.as(created.body.token) };
}

/** Desired-property patches of `fanSpeed` = `value` that reached the hub for these devices. */
async function fanSpeedPatches(deviceIds: string[], value: number): Promise<LoggedOperation[]> {
  const fleet = new Set(deviceIds);
  return (await allHubOperations(hub, { kind: 'twin-patch' })).filter((entry) => {
    const desired = (entry.payload as { properties?: { desired?: { fanSpeed?: unknown } } } | null)?.properties?.desired;
    return fleet.has(entry.deviceId) && desired?.fanSpeed === value;
  });
}

describe('two-person approval', () => {
  let alice: Operator;
  let bob: Operator;

  beforeAll(async () => {
    alice = await anOperator('alice');
    bob = await anOperator('bob');
  });

  it('a job that needs approval waits, pending, until an operator other than its creator approves it, then runs', async () => {
    const fleet = await createFleet(api, hub, { label: 'approval', count: 3 });
    const jobId = uniqueId('approval');
    const created = await alice.api.put(`/api/jobs/${jobId}`, {
      displayName: 'Two-person fan speed',
      deviceSet: fleet.deviceSet,
      operations: [{ type: 'setting', name: 'fanSpeed', value: 7 }],
      approval: { required: true },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ status: 'pending', approval: { required: true, reason: 'requested by its creator', approvedBy: null } });

    // A later job on the same set runs to its end while the first still waits, untargeted.
    const later = uniqueId('approval-later');
    expect((await alice.api.put(`/api/jobs/${later}`, { displayName: 'Later', deviceSet: fleet.deviceSet, operations: [{ type: 'setting', name: 'fanSpeed', value: 2 }] })).status).toBe(201);
    expect(await waitForJobEnd(api, later)).toMatchObject({ status: 'completed' });
    const waiting = (await api.get(`/api/jobs/${jobId}`)).body;
    expect(waiting).toMatchObject({ status: 'pending', counts: { total: 0 }, createdBy: { id: alice.id }, approval: { approvedBy: null, approvedAt: null } });

    const selfApproval = await alice.api.post(`/api/jobs/${jobId}/approve`);
    expect(selfApproval.status).toBe(403);
    expect(selfApproval.body.errors).toEqual([expect.objectContaining({ field: 'actor' })]);

    const before = Date.parse(await hub.arrivalMark());
    const approved = await bob.api.post(`/api/jobs/${jobId}/approve`);
    expect(approved.status).toBe(200);
    expect(approved.body.approval).toMatchObject({ approvedBy: { id: bob.id, name: bob.name }, approvedAt: expect.any(String) });

    const job = await waitForJobEnd(api, jobId);
    expect(job).toMatchObject({ status: 'completed', counts: { total: 3, completed: 3, failed: 0, pending: 0 } });
    expect(job.approval).toMatchObject({ required: true, approvedBy: { id: bob.id, name: bob.name } });
    const patches = await fanSpeedPatches(fleet.deviceIds, 7);
    expect(new Set(patches.map((patch) => patch.deviceId)).size).toBe(3);
    // Nothing of it reached the hub before the approval.
    expect(patches.filter((patch) => Date.parse(patch.receivedAt) < before)).toEqual([]);
  });

  it('a job stopped before its approval ends stopped, cannot be approved, and never reaches a device', async () => {
    const fleet = await createFleet(api, hub, { label: 'approval-stop', count: 2 });
    const jobId = uniqueId('approval-stop');
    expect((await alice.api.put(`/api/jobs/${jobId}`, {
      displayName: 'Stopped before approval',
      deviceSet: fleet.deviceSet,
      operations: [{ type: 'setting', name: 'fanSpeed', value: 9 }],
      approval: { required: true },
    })).status).toBe(201);
    const stopped = await alice.api.post(`/api/jobs/${jobId}/stop`);
    expect(stopped.status).toBe(200);
    expect(stopped.body.status).toBe('stopped');
    expect((await bob.api.post(`/api/jobs/${jobId}/approve`)).status).toBe(409);

    // A later job on the same set runs to its end; the stopped one never reached a device.
    const later = uniqueId('approval-stop-later');
    expect((await bob.api.put(`/api/jobs/${later}`, { displayName: 'Later', deviceSet: fleet.deviceSet, operations: [{ type: 'setting', name: 'fanSpeed', value: 3 }] })).status).toBe(201);
    expect(await waitForJobEnd(api, later)).toMatchObject({ status: 'completed' });
    expect(await waitForJobEnd(api, jobId)).toMatchObject({ status: 'stopped', counts: { total: 0 }, approval: { approvedBy: null } });
    expect(await fanSpeedPatches(fleet.deviceIds, 9)).toEqual([]);
  });
});
