import { randomBytes } from 'node:crypto';
import { Actor, CE_HEADERS } from '@fleetjobs/contracts';
import { encodeActorHeader } from '@fleetjobs/http-kit';
import { waitFor } from '@fleetjobs/testing';
import { JOB_COMMAND_SCHEMA } from '../../job-command.schema';
import { JobCommandOnKafka, SeenEvent, startJobCommandOnKafka } from '../../testing/job-command-kafka.harness';

const alice: Actor = { id: 'user:alice', name: 'Alice', role: 'operator' };
const bob: Actor = { id: 'token:bob-script', name: 'Bob', role: 'operator' };
const aJob = (overrides: Record<string, unknown> = {}) => ({
  displayName: 'Reboot the lobby machines',
  deviceSet: 'seattle-vms',
  operations: [{ type: 'setting', name: 'fanSpeed', value: 5 }],
  ...overrides,
});
const fieldsOf = (body: { errors?: { field: string }[] }) => (body.errors ?? []).map((error) => error.field);

/**
 * The two-person rule on job-command as deployed (its own PostgreSQL database, the real Kafka
 * broker): who sent each request is the x-fleetjobs-actor header the public edge sets. The rules
 * are on for this file: any job with a command, and more than 2 devices, need approval.
 */
describe('approving a job (two-person rule)', () => {
  let service: JobCommandOnKafka;
  const run = randomBytes(3).toString('hex');

  beforeAll(async () => {
    process.env.APPROVAL_REQUIRED_FOR_COMMANDS = 'true';
    process.env.APPROVAL_DEVICE_THRESHOLD = '2';
    try {
      service = await startJobCommandOnKafka();
    } finally {
      delete process.env.APPROVAL_REQUIRED_FOR_COMMANDS;
      delete process.env.APPROVAL_DEVICE_THRESHOLD;
    }
  }, 240_000);
  afterAll(async () => {
    await service?.close();
  });

  const call = async (method: string, path: string, actor?: Actor, body?: unknown) => {
    const headers: Record<string, string> = {};
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (actor) headers['x-fleetjobs-actor'] = encodeActorHeader(actor);
    const response = await fetch(`${service.base}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined };
  };
  const untilSeen = async (jobId: string, type: string): Promise<SeenEvent> => {
    await waitFor(`${type} of ${jobId} on the jobs topic`, () => service.eventsOf(jobId, type).length > 0, 45_000, 50);
    return service.eventsOf(jobId, type)[0];
  };
  const storedTypes = async (jobId: string): Promise<string[]> =>
    (await service.dataSource.query(`SELECT type FROM ${JOB_COMMAND_SCHEMA}.events WHERE stream_id = $1 ORDER BY version`, [jobId])).map(
      (row: { type: string }) => row.type,
    );
  const createNeedingApproval = async (jobId: string) => {
    const answer = await call('PUT', `/api/jobs/${jobId}`, alice, aJob({ approval: { required: true } }));
    expect(answer.status).toBe(201);
    return answer;
  };

  it('creates a job that needs approval as pending, naming why and who created it, on the answer and on JobCreated', async () => {
    const jobId = `asked-${run}`;
    const answer = await createNeedingApproval(jobId);
    expect(answer.body).toMatchObject({
      status: 'pending',
      createdBy: { id: alice.id, name: alice.name },
      approval: { required: true, reason: 'requested by its creator', approvedBy: null, approvedAt: null },
    });
    const created = await untilSeen(jobId, 'JobCreated');
    expect(created.envelope.data).toMatchObject({
      approval: { required: true, reason: 'requested by its creator' },
      createdBy: { id: alice.id, name: alice.name },
    });
    expect(created.message.headers[CE_HEADERS.actor]).toBe(alice.id);
  });

  it('refuses the creator as approver with 403 naming actor, and decides nothing', async () => {
    const jobId = `self-${run}`;
    await createNeedingApproval(jobId);
    const answer = await call('POST', `/api/jobs/${jobId}/approve`, alice);
    expect(answer.status).toBe(403);
    expect(fieldsOf(answer.body)).toEqual(['actor']);
    expect(await storedTypes(jobId)).toEqual(['JobCreated']);
  });

  it('is approved by another operator: 200 naming the approver, JobApproved with their actor; approving again changes nothing', async () => {
    const jobId = `approved-${run}`;
    await createNeedingApproval(jobId);
    const answer = await call('POST', `/api/jobs/${jobId}/approve`, bob);
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({
      status: 'pending',
      approval: { required: true, approvedBy: { id: bob.id, name: bob.name }, approvedAt: expect.any(String) },
    });
    const approved = await untilSeen(jobId, 'JobApproved');
    expect(approved.envelope.data).toMatchObject({ jobId, approvedBy: { id: bob.id, name: bob.name } });
    expect(approved.message.headers[CE_HEADERS.actor]).toBe(bob.id);

    const again = await call('POST', `/api/jobs/${jobId}/approve`, { ...bob, id: 'user:carol', name: 'Carol' });
    expect(again.status).toBe(200);
    expect(again.body.approval.approvedBy).toEqual({ id: bob.id, name: bob.name });
    expect(await storedTypes(jobId)).toEqual(['JobCreated', 'JobApproved']);
  });

  it('stops a job before its approval: stopped for good, and an approval afterwards answers 409', async () => {
    const jobId = `stopped-first-${run}`;
    await createNeedingApproval(jobId);
    expect((await call('POST', `/api/jobs/${jobId}/stop`, alice)).body).toMatchObject({ status: 'stopped' });
    const answer = await call('POST', `/api/jobs/${jobId}/approve`, bob);
    expect(answer.status).toBe(409);
    // Nothing of it was targeted: it settles with its stop.
    expect(await storedTypes(jobId)).toEqual(['JobCreated', 'JobStopped', 'JobSettled']);
  });

  it('approving a job that needs no approval is harmless: 200 and no event', async () => {
    const jobId = `no-need-${run}`;
    const created = await call('PUT', `/api/jobs/${jobId}`, alice, aJob({ devices: ['vm-1', 'vm-2'] }));
    expect(created.body.approval).toBeNull();
    const answer = await call('POST', `/api/jobs/${jobId}/approve`, bob);
    expect(answer.status).toBe(200);
    expect(await storedTypes(jobId)).toEqual(['JobCreated']);
  });

  it('needs an approver it knows (403 naming actor) and a job that exists (404)', async () => {
    const jobId = `anonymous-${run}`;
    await createNeedingApproval(jobId);
    const anonymous = await call('POST', `/api/jobs/${jobId}/approve`);
    expect(anonymous.status).toBe(403);
    expect(fieldsOf(anonymous.body)).toEqual(['actor']);
    expect((await call('POST', `/api/jobs/nope-${run}/approve`, bob)).status).toBe(404);
  });

  it('requires approval by rule: a job with a command, or with more than the threshold of devices', async () => {
    const command = await call('PUT', `/api/jobs/command-${run}`, alice, aJob({ operations: [{ type: 'command', name: 'reboot', value: {} }] }));
    expect(command.body.approval).toMatchObject({ required: true, reason: 'it runs a command' });
    const many = await call('PUT', `/api/jobs/many-${run}`, alice, aJob({ devices: ['vm-1', 'vm-2', 'vm-3'] }));
    expect(many.body.approval).toMatchObject({ required: true, reason: 'more than 2 devices' });
  });

  it('refuses a malformed approval with 400 naming the field', async () => {
    const notBoolean = await call('PUT', `/api/jobs/bad-${run}`, alice, aJob({ approval: { required: 'yes' } }));
    expect(notBoolean.status).toBe(400);
    expect(fieldsOf(notBoolean.body)).toEqual(['approval.required']);
    const notObject = await call('PUT', `/api/jobs/bad-${run}`, alice, aJob({ approval: true }));
    expect(notObject.status).toBe(400);
    expect(fieldsOf(notObject.body)).toContain('approval');
  });
});
