import { randomBytes } from 'node:crypto';
import { makeEnvelope } from '@fleetjobs/contracts';
import { JobControlStore } from '@fleetjobs/persistence-pg';
import { waitFor } from '@fleetjobs/testing';
import { JOB_COMMAND_SCHEMA } from '../../job-command.schema';
import { JobCommandOnKafka, SeenEvent, startJobCommandOnKafka } from '../../testing/job-command-kafka.harness';

/** Longer than the pause's own round trips, so that an answer given before it ran out would show. */
const LEASE_MS = 2000;

const aJob = () => ({
  displayName: 'Raise fan speed',
  deviceSet: 'seattle-vms',
  operations: [{ type: 'setting', name: 'fanSpeed', value: 5 }],
});
const targetingCompleted = (jobId: string, total: number) =>
  makeEnvelope({ type: 'JobTargetingCompleted', version: 1, source: '/fleetjobs/device-set', subject: jobId, now: new Date(), data: { jobId, total, chunks: 1 } });

/**
 * Pause and resume as deployed: job-command on its own PostgreSQL database and the real Kafka
 * broker. The dispatchers' side of job_control (asking for permits) is played by this test.
 */
describe('pausing and resuming a job in job-command', () => {
  let service: JobCommandOnKafka;
  const control = new JobControlStore(JOB_COMMAND_SCHEMA);
  const run = randomBytes(3).toString('hex');

  beforeAll(async () => {
    service = await startJobCommandOnKafka();
  }, 240_000);
  afterAll(async () => {
    await service?.close();
  });

  const call = async (method: string, path: string) => {
    const response = await fetch(`${service.base}${path}`, { method });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined };
  };
  const untilSeen = async (jobId: string, type: string, count = 1): Promise<SeenEvent[]> => {
    await waitFor(`${count} × ${type} of ${jobId} on the jobs topic`, () => service.eventsOf(jobId, type).length >= count, 45_000, 50);
    return service.eventsOf(jobId, type);
  };
  const runningJob = async (jobId: string) => {
    const created = await fetch(`${service.base}/api/jobs/${jobId}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(aJob()),
    });
    expect(created.status).toBe(201);
    await service.publish(targetingCompleted(jobId, 2));
    await untilSeen(jobId, 'JobStarted');
  };
  const controlRow = async (jobId: string) =>
    (
      await service.dataSource.query(
        `SELECT paused_at, halted_at, permits_until, now() >= permits_until AS permits_ran_out FROM ${JOB_COMMAND_SCHEMA}.job_control WHERE job_id = $1`,
        [jobId],
      )
    )[0];

  it('answers a pause only once the permits granted before it ran out, and grants none while paused', async () => {
    const jobId = `paused-${run}`;
    await runningJob(jobId);
    expect((await control.grant(service.dataSource, [jobId], LEASE_MS)).granted).toEqual([jobId]);

    // A dispatcher keeps asking for permits while the pause is decided.
    let asking = true;
    const answers: { granted: string[]; halted: string[]; paused: string[] }[] = [];
    const dispatcher = (async () => {
      while (asking) answers.push(await control.grant(service.dataSource, [jobId], LEASE_MS));
    })();
    const answer = await call('POST', `/api/jobs/${jobId}/pause`);
    const atAnswer = await controlRow(jobId);
    asking = false;
    await dispatcher;

    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ id: jobId, status: 'paused' });
    expect(atAnswer.paused_at).toBeInstanceOf(Date);
    expect(atAnswer.halted_at).toBeNull();
    // Whatever permit was granted before the pause committed, it had run out when the answer came.
    expect(atAnswer.permits_ran_out).toBe(true);
    expect(answers.length).toBeGreaterThan(0);
    expect(answers[answers.length - 1]).toEqual({ granted: [], halted: [], paused: [jobId] });
    const paused = await untilSeen(jobId, 'JobPaused');
    expect(paused[0].message.key).toBe(jobId);
    expect(paused[0].envelope.data).toMatchObject({ jobId, pausedAt: expect.any(String) });

    // A repeated pause answers the same and decides nothing new.
    const again = await call('POST', `/api/jobs/${jobId}/pause`);
    expect(again).toMatchObject({ status: 200, body: { status: 'paused' } });
    expect(await control.grant(service.dataSource, [jobId, `other-${run}`], LEASE_MS)).toEqual({ granted: [`other-${run}`], halted: [], paused: [jobId] });
  });

  it('resumes a paused job: permits are granted again, and a second resume is refused as not paused', async () => {
    const jobId = `resumed-${run}`;
    await runningJob(jobId);
    expect((await call('POST', `/api/jobs/${jobId}/pause`)).status).toBe(200);

    const resumed = await call('POST', `/api/jobs/${jobId}/resume`);
    expect(resumed).toMatchObject({ status: 200, body: { id: jobId, status: 'running' } });
    expect((await controlRow(jobId)).paused_at).toBeNull();
    expect(await control.grant(service.dataSource, [jobId], LEASE_MS)).toEqual({ granted: [jobId], halted: [], paused: [] });
    const [event] = await untilSeen(jobId, 'JobResumed');
    expect(event.envelope.data).toMatchObject({ jobId, resumedAt: expect.any(String) });

    const twice = await call('POST', `/api/jobs/${jobId}/resume`);
    expect(twice.status).toBe(409);
    expect(twice.body.detail).toMatch(/is not paused \(running\)/);
  });

  it('stops a paused job for good; an ended job can be neither paused nor resumed', async () => {
    const jobId = `paused-then-stopped-${run}`;
    await runningJob(jobId);
    expect((await call('POST', `/api/jobs/${jobId}/pause`)).status).toBe(200);

    const stopped = await call('POST', `/api/jobs/${jobId}/stop`);
    expect(stopped).toMatchObject({ status: 200, body: { status: 'stopped' } });
    expect(await control.grant(service.dataSource, [jobId], LEASE_MS)).toEqual({ granted: [], halted: [jobId], paused: [] });
    await untilSeen(jobId, 'JobStopped');

    for (const action of ['pause', 'resume']) {
      const refused = await call('POST', `/api/jobs/${jobId}/${action}`);
      expect(refused.status).toBe(409);
      expect(refused.body.detail).toMatch(/already ended \(stopped\)/);
    }
  });

  it('answers 404 for a job that does not exist', async () => {
    for (const action of ['pause', 'resume']) {
      expect((await call('POST', `/api/jobs/nobody-${run}/${action}`)).status).toBe(404);
    }
  });
});
