import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { Actor, makeEnvelope, MAX_EXPLICIT_DEVICES } from '@fleetjobs/contracts';
import { encodeActorHeader } from '@fleetjobs/http-kit';
import { waitFor } from '@fleetjobs/testing';
import { JobCommandOnKafka, startJobCommandOnKafka } from '../../testing/job-command-kafka.harness';

const alice: Actor = { id: 'user:alice', name: 'Alice', role: 'operator' };
const bob: Actor = { id: 'token:bob-script', name: 'Bob', role: 'operator' };
const operations = [{ type: 'setting', name: 'fanSpeed', value: 5 }];
const rollout = { batches: { size: 2 }, retries: { maxAttempts: 2 } };
const fieldsOf = (body: { errors?: { field: string }[] }) => (body.errors ?? []).map((error) => error.field);

/**
 * Rerun and copy on job-command as deployed (its own PostgreSQL database, the real Kafka broker),
 * with a stand-in projection whose device outcomes the test chooses, served two ids to a page.
 */
describe('rerunning and copying a job', () => {
  let service: JobCommandOnKafka;
  let projection: Server;
  const run = randomBytes(3).toString('hex');
  /** Per job id: every device of the job and its status, as the stand-in read model knows them. */
  const outcomes = new Map<string, [string, 'completed' | 'failed' | 'pending'][]>();
  const asked: string[] = [];

  beforeAll(async () => {
    projection = createServer((request, response) => {
      asked.push(request.url ?? '');
      const url = new URL(request.url ?? '/', 'http://projection');
      const match = /^\/internal\/jobs\/([^/]+)\/device-ids$/.exec(url.pathname);
      const devices = match ? outcomes.get(decodeURIComponent(match[1])) : undefined;
      response.setHeader('content-type', 'application/json');
      if (!devices) {
        response.statusCode = 404;
        response.end(JSON.stringify({ status: 404 }));
        return;
      }
      const status = url.searchParams.get('status');
      const ids = devices.filter(([, outcome]) => !status || outcome === status).map(([id]) => id);
      const start = Number(url.searchParams.get('cursor') ?? 0);
      const size = ids.length > 100 ? 5_000 : 2;
      const next = start + size < ids.length ? String(start + size) : null;
      response.end(JSON.stringify({ value: ids.slice(start, start + size), nextCursor: next }));
    });
    projection.listen(0, '127.0.0.1');
    await once(projection, 'listening');
    service = await startJobCommandOnKafka({ endpoints: { projection: `http://127.0.0.1:${(projection.address() as AddressInfo).port}` } });
  }, 240_000);
  afterAll(async () => {
    await service?.close();
    projection?.close();
  });

  const call = async (method: string, path: string, actor?: Actor, body?: unknown) => {
    const headers: Record<string, string> = {};
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (actor) headers['x-fleetjobs-actor'] = encodeActorHeader(actor);
    const response = await fetch(`${service.base}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined };
  };
  /** An ended (stopped) job with the given devices, whose outcomes the stand-in projection knows. */
  const endedJob = async (label: string, devices: string[] | null, known: [string, 'completed' | 'failed'][]) => {
    const jobId = `${label}-${run}`;
    const body = { displayName: `Fans ${label}`, description: 'Hot week', deviceSet: 'seattle-vms', operations, rollout, ...(devices ? { devices } : {}) };
    expect((await call('PUT', `/api/jobs/${jobId}`, alice, body)).status).toBe(201);
    expect((await call('POST', `/api/jobs/${jobId}/stop`, alice)).status).toBe(200);
    outcomes.set(jobId, known);
    return jobId;
  };

  it('reruns on exactly the failed devices, read page by page, as a new job linked to the original and recorded with its actor', async () => {
    const devices = ['vm-1', 'vm-2', 'vm-3', 'vm-4', 'vm-5'];
    const original = await endedJob('failed', devices, [['vm-1', 'completed'], ['vm-2', 'failed'], ['vm-3', 'failed'], ['vm-4', 'completed'], ['vm-5', 'failed']]);
    const again = `failed-again-${run}`;
    const answer = await call('POST', `/api/jobs/${original}/rerun`, bob, { id: again, devices: 'failed' });
    expect(answer.status).toBe(201);
    expect(answer.body).toMatchObject({
      id: again,
      displayName: 'Fans failed',
      description: 'Hot week',
      deviceSet: 'seattle-vms',
      devices: ['vm-2', 'vm-3', 'vm-5'],
      operations,
      rollout,
      rerunOf: original,
      createdBy: { id: bob.id, name: bob.name },
    });
    expect(asked.filter((url) => url.startsWith(`/internal/jobs/${original}/device-ids?`) && url.includes('status=failed'))).toHaveLength(2);
    await waitFor(`JobCreated of ${again}`, () => service.eventsOf(again, 'JobCreated').length > 0, 45_000, 50);
    const [created] = service.eventsOf(again, 'JobCreated');
    expect(created.envelope.data).toMatchObject({ jobId: again, rerunOf: original, devices: ['vm-2', 'vm-3', 'vm-5'], createdBy: { id: bob.id } });
    expect(created.envelope.actor).toMatchObject({ id: bob.id });

    // The same request again answers the job it created; the original job is not changed.
    expect(await call('POST', `/api/jobs/${original}/rerun`, bob, { id: again, devices: 'failed' })).toMatchObject({ status: 200, body: { id: again } });
    expect((await call('GET', `/internal/jobs/${original}`)).body).toMatchObject({ status: 'stopped', devices, rerunOf: null });
    expect((await call('GET', `/internal/jobs/${again}`)).body).toMatchObject({ rerunOf: original });
  });

  it('reruns on all devices or on a list of them; a batch size above the devices becomes their count', async () => {
    const original = await endedJob('some', ['vm-1', 'vm-2', 'vm-3', 'vm-4'], [['vm-1', 'failed']]);
    const all = await call('POST', `/api/jobs/${original}/rerun`, alice, { devices: 'all' });
    expect(all).toMatchObject({ status: 201, body: { devices: ['vm-1', 'vm-2', 'vm-3', 'vm-4'], rollout, rerunOf: original } });
    expect(all.body.id).not.toBe(original);
    const listed = await call('POST', `/api/jobs/${original}/rerun`, alice, { devices: ['vm-4', 'vm-2'] });
    expect(listed).toMatchObject({ status: 201, body: { devices: ['vm-4', 'vm-2'], rollout, rerunOf: original } });
    const one = await call('POST', `/api/jobs/${original}/rerun`, alice, { devices: ['vm-3'] });
    expect(one).toMatchObject({ status: 201, body: { devices: ['vm-3'], rollout: { ...rollout, batches: { size: 1 } }, rerunOf: original } });
  });

  it('refuses listed devices the original did not target, naming each; of a set-wide job, as the read model knows its devices', async () => {
    const listedJob = await endedJob('listed', ['vm-1', 'vm-2'], []);
    const refused = await call('POST', `/api/jobs/${listedJob}/rerun`, alice, { devices: ['vm-9', 'vm-1', 'vm-8'] });
    expect(refused.status).toBe(422);
    expect(fieldsOf(refused.body)).toEqual(['devices[0]', 'devices[2]']);

    const setWide = await endedJob('set-wide', null, [['vm-1', 'completed'], ['vm-2', 'failed'], ['vm-3', 'completed']]);
    const outside = await call('POST', `/api/jobs/${setWide}/rerun`, alice, { devices: ['vm-3', 'vm-7'] });
    expect(outside.status).toBe(422);
    expect(fieldsOf(outside.body)).toEqual(['devices[1]']);
    expect(await call('POST', `/api/jobs/${setWide}/rerun`, alice, { devices: ['vm-3', 'vm-1'] })).toMatchObject({ status: 201, body: { devices: ['vm-3', 'vm-1'] } });
    expect(await call('POST', `/api/jobs/${setWide}/rerun`, alice, { devices: 'all' })).toMatchObject({ status: 201, body: { devices: null } });
  });

  it('refuses a rerun on failed devices when none failed, or more than a job may name (422 naming devices)', async () => {
    const none = await endedJob('none-failed', null, [['vm-1', 'completed']]);
    const noneAnswer = await call('POST', `/api/jobs/${none}/rerun`, alice, { devices: 'failed' });
    expect(noneAnswer.status).toBe(422);
    expect(fieldsOf(noneAnswer.body)).toEqual(['devices']);

    const many = Array.from({ length: MAX_EXPLICIT_DEVICES + 1 }, (_, n) => [`vm-${n}`, 'failed'] as [string, 'failed']);
    const tooMany = await endedJob('too-many', null, many);
    const tooManyAnswer = await call('POST', `/api/jobs/${tooMany}/rerun`, alice, { devices: 'failed' });
    expect(tooManyAnswer.status).toBe(422);
    expect(fieldsOf(tooManyAnswer.body)).toEqual(['devices']);
    expect(tooManyAnswer.body.errors[0].message).toMatch(/more than 10000/);
  });

  it('refuses a rerun of an unknown job (404), of a job still running (409), and a body without devices (400)', async () => {
    expect((await call('POST', `/api/jobs/nobody-${run}/rerun`, alice, { devices: 'all' })).status).toBe(404);
    const active = `active-${run}`;
    expect((await call('PUT', `/api/jobs/${active}`, alice, { displayName: 'Active', deviceSet: 'seattle-vms', operations })).status).toBe(201);
    const conflict = await call('POST', `/api/jobs/${active}/rerun`, alice, { devices: 'all' });
    expect(conflict.status).toBe(409);
    expect(conflict.body.detail).toMatch(/still pending/);
    for (const devices of [undefined, 'some', [], ['vm-1', 'vm-1'], ['bad id']]) {
      const bad = await call('POST', `/api/jobs/${active}/rerun`, alice, { devices });
      expect(bad.status).toBe(400);
      expect(fieldsOf(bad.body)).toEqual(['devices']);
    }
  });

  it('answers 503 when the read model cannot say which devices failed', async () => {
    const unknownToProjection = `unknown-to-projection-${run}`;
    expect((await call('PUT', `/api/jobs/${unknownToProjection}`, alice, { displayName: 'x', deviceSet: 'seattle-vms', operations })).status).toBe(201);
    expect((await call('POST', `/api/jobs/${unknownToProjection}/stop`, alice)).status).toBe(200);
    expect((await call('POST', `/api/jobs/${unknownToProjection}/rerun`, alice, { devices: 'failed' })).status).toBe(503);
  });

  it('waits (503) while the read model knows fewer failed devices than the job counted at its end', async () => {
    const jobId = `ended-failed-${run}`;
    const devices = ['vm-1', 'vm-2', 'vm-3', 'vm-4', 'vm-5'];
    expect((await call('PUT', `/api/jobs/${jobId}`, alice, { displayName: 'Fans', deviceSet: 'seattle-vms', devices, operations })).status).toBe(201);
    const report = (type: string, data: Record<string, unknown>) =>
      makeEnvelope({ type, version: 1, source: '/fleetjobs/dispatcher', subject: jobId, now: new Date(), data: { jobId, ...data } });
    await service.publish(report('JobTargetingCompleted', { total: 5, chunks: 1 }));
    await waitFor(`JobStarted of ${jobId}`, () => service.eventsOf(jobId, 'JobStarted').length > 0, 45_000, 50);
    await service.publish(report('JobDispatchFinished', { completed: 2, failed: 3, notStarted: 0, finishedAt: new Date().toISOString() }));
    await waitFor(`JobFailed of ${jobId}`, () => service.eventsOf(jobId, 'JobFailed').length > 0, 45_000, 50);

    outcomes.set(jobId, [['vm-1', 'failed'], ['vm-2', 'completed'], ['vm-3', 'failed'], ['vm-4', 'completed'], ['vm-5', 'pending']]);
    const behind = await call('POST', `/api/jobs/${jobId}/rerun`, alice, { devices: 'failed' });
    expect(behind.status).toBe(503);
    expect(behind.body.detail).toMatch(/3 devices failed, of which the read model knows 2/);
    outcomes.set(jobId, [['vm-1', 'failed'], ['vm-2', 'completed'], ['vm-3', 'failed'], ['vm-4', 'completed'], ['vm-5', 'failed']]);
    expect(await call('POST', `/api/jobs/${jobId}/rerun`, alice, { devices: 'failed' })).toMatchObject({ status: 201, body: { devices: ['vm-1', 'vm-3', 'vm-5'], rerunOf: jobId } });
  });

  it('copies a job: the draft of a new job with its definition, creating nothing', async () => {
    const original = await endedJob('copied', ['vm-1', 'vm-2'], []);
    const copy = await call('POST', `/api/jobs/${original}/copy`, alice);
    expect(copy).toEqual({
      status: 200,
      body: { displayName: 'Fans copied', description: 'Hot week', deviceSet: 'seattle-vms', devices: ['vm-1', 'vm-2'], operations, rollout },
    });
    const setWide = await endedJob('copied-set', null, []);
    expect((await call('POST', `/api/jobs/${setWide}/copy`, alice)).body).not.toHaveProperty('devices');
    expect((await call('POST', `/api/jobs/nobody-${run}/copy`, alice)).status).toBe(404);
  });
});
