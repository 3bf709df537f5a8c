import { randomBytes } from 'node:crypto';
import { Actor } from '@fleetjobs/contracts';
import { encodeActorHeader } from '@fleetjobs/http-kit';
import { waitFor } from '@fleetjobs/testing';
import { JobCommandOnKafka, startJobCommandOnKafka } from '../testing/job-command-kafka.harness';

const alice: Actor = { id: 'user:alice', name: 'Alice', role: 'operator' };

/**
 * A job past the retention, on job-command as deployed (real PostgreSQL and Kafka): the read model
 * has dropped it and the dispatchers the values it replaced, so it can be neither rerun nor
 * reverted. With a retention of 0 days, a job is past it as soon as it settled.
 */
describe('rerun and revert of a job past the retention', () => {
  let service: JobCommandOnKafka;
  const run = randomBytes(3).toString('hex');

  const call = async (method: string, path: string, body?: unknown) => {
    const headers: Record<string, string> = { 'x-fleetjobs-actor': encodeActorHeader(alice) };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(`${service.base}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined };
  };

  /** A job stopped while waiting for its start: it settles with its stop. */
  const settledJob = async (label: string) => {
    const jobId = `${label}-${run}`;
    const body = {
      displayName: `Fans ${label}`,
      deviceSet: 'seattle-vms',
      operations: [{ type: 'setting', name: 'fanSpeed', value: 5 }],
      schedule: { startAt: new Date(Date.now() + 3_600_000).toISOString() },
    };
    expect((await call('PUT', `/api/jobs/${jobId}`, body)).status).toBe(201);
    expect((await call('POST', `/api/jobs/${jobId}/stop`)).status).toBe(200);
    await waitFor(`JobSettled of ${jobId}`, () => service.eventsOf(jobId, 'JobSettled').length > 0, 45_000, 50);
    return jobId;
  };

  afterEach(() => service?.close());

  it('answers 404 for both once the job settled more than the retention ago', async () => {
    service = await startJobCommandOnKafka({ retentionDays: 0 });
    const jobId = await settledJob('expired');
    const rerun = await call('POST', `/api/jobs/${jobId}/rerun`, { devices: 'all' });
    expect(rerun).toMatchObject({ status: 404, body: { detail: expect.stringContaining(jobId) } });
    expect((await call('POST', `/api/jobs/${jobId}/revert`)).status).toBe(404);
    expect(service.eventsOf(`${jobId}`).filter((event) => event.envelope.type === 'JobCreated')).toHaveLength(1);
  }, 240_000);

  it('reverts a job inside the retention as before', async () => {
    service = await startJobCommandOnKafka({ retentionDays: 30 });
    const jobId = await settledJob('kept');
    const revert = await call('POST', `/api/jobs/${jobId}/revert`, { id: `${jobId}-back` });
    expect(revert).toMatchObject({ status: 201, body: { id: `${jobId}-back`, revertOf: jobId } });
  }, 240_000);
});
