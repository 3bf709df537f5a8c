import { randomBytes } from 'node:crypto';
import { Actor, CE_HEADERS, TOPICS } from '@fleetjobs/contracts';
import { ACTOR_HEADER, encodeActorHeader } from '@fleetjobs/http-kit';
import { PgEventStore } from '@fleetjobs/persistence-pg';
import { waitFor } from '@fleetjobs/testing';
import { JOB_COMMAND_SCHEMA } from '../job-command.schema';
import { JobCommandOnKafka, SeenEvent, startJobCommandOnKafka } from '../testing/job-command-kafka.harness';

const operator: Actor = { id: 'user:op-1', name: 'Olga Operator', role: 'operator', address: '203.0.113.9' };
const script: Actor = { id: 'token:t-42', name: 'nightly script', role: 'administrator' };
const aJob = { displayName: 'Raise fan speed', deviceSet: 'seattle-vms', operations: [{ type: 'setting', name: 'fanSpeed', value: 5 }] };

/**
 * Who sent each job command, as the public edge named them in `x-fleetjobs-actor`: on the event's
 * CloudEvents headers on Kafka, and in the event store, so a re-read stream still says it.
 */
describe('the actor on job command events', () => {
  let service: JobCommandOnKafka;
  const run = randomBytes(3).toString('hex');
  const store = new PgEventStore(JOB_COMMAND_SCHEMA, TOPICS.jobs);

  beforeAll(async () => {
    service = await startJobCommandOnKafka();
  }, 240_000);
  afterAll(async () => {
    await service?.close();
  });

  const send = async (method: string, path: string, actor?: Actor, body?: unknown) => {
    const headers: Record<string, string> = body === undefined ? {} : { 'content-type': 'application/json' };
    if (actor) headers[ACTOR_HEADER] = encodeActorHeader(actor);
    const response = await fetch(`${service.base}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    return response.status;
  };
  const untilSeen = async (jobId: string, types: string[]): Promise<SeenEvent[]> => {
    await waitFor(`${types.join(', ')} of ${jobId} on the jobs topic`, () => service.eventsOf(jobId).length >= types.length, 45_000, 50);
    const seen = service.eventsOf(jobId);
    expect(seen.map((event) => event.envelope.type)).toEqual(types);
    return seen;
  };
  const stored = (jobId: string) => service.dataSource.transaction((tx) => store.read(tx, jobId));
  const actorHeaders = (event: SeenEvent) =>
    Object.fromEntries(Object.entries(event.message.headers).filter(([name]) => name.startsWith('ce_actor')));

  it('names the sender of create, pause, resume and stop on each event, on the wire and in the event store', async () => {
    const jobId = `with-actor-${run}`;
    expect(await send('PUT', `/api/jobs/${jobId}`, operator, aJob)).toBe(201);
    expect(await send('POST', `/api/jobs/${jobId}/pause`, script)).toBe(200);
    expect(await send('POST', `/api/jobs/${jobId}/resume`, operator)).toBe(200);
    expect(await send('POST', `/api/jobs/${jobId}/stop`, script)).toBe(200);

    const seen = await untilSeen(jobId, ['JobCreated', 'JobPaused', 'JobResumed', 'JobStopped']);
    expect(seen.map((event) => event.envelope.actor)).toEqual([operator, script, operator, script]);
    expect(actorHeaders(seen[0])).toEqual({
      [CE_HEADERS.actor]: 'user:op-1',
      [CE_HEADERS.actorName]: 'Olga Operator',
      [CE_HEADERS.actorRole]: 'operator',
      [CE_HEADERS.actorAddress]: '203.0.113.9',
    });
    expect(actorHeaders(seen[1])).toEqual({
      [CE_HEADERS.actor]: 'token:t-42',
      [CE_HEADERS.actorName]: 'nightly script',
      [CE_HEADERS.actorRole]: 'administrator',
    });
    const reread = await stored(jobId);
    expect(reread.map((envelope) => [envelope.type, envelope.actor])).toEqual([
      ['JobCreated', operator],
      ['JobPaused', script],
      ['JobResumed', operator],
      ['JobStopped', script],
    ]);
    expect(reread.map((envelope) => envelope.id)).toEqual(seen.map((event) => event.envelope.id));
  });

  it('names nobody on the events of commands sent without the header', async () => {
    const jobId = `without-actor-${run}`;
    expect(await send('PUT', `/api/jobs/${jobId}`, undefined, aJob)).toBe(201);
    expect(await send('POST', `/api/jobs/${jobId}/stop`)).toBe(200);

    const seen = await untilSeen(jobId, ['JobCreated', 'JobStopped']);
    for (const event of seen) {
      expect(actorHeaders(event)).toEqual({});
      expect(event.envelope).not.toHaveProperty('actor');
    }
    for (const envelope of await stored(jobId)) expect(envelope).not.toHaveProperty('actor');
    const rows = await service.dataSource.query(`SELECT actor FROM ${JOB_COMMAND_SCHEMA}.events WHERE stream_id = $1`, [jobId]);
    expect(rows).toEqual([{ actor: null }, { actor: null }]);
  });

  it('refuses a command whose actor header is unreadable, deciding nothing', async () => {
    const jobId = `bad-actor-${run}`;
    const response = await fetch(`${service.base}/api/jobs/${jobId}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', [ACTOR_HEADER]: 'bm90IGFuIGFjdG9y' },
      body: JSON.stringify(aJob),
    });
    expect(response.status).toBe(400);
    expect(await stored(jobId)).toEqual([]);
  });
});
