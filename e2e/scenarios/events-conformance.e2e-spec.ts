import type { AsyncAPIDocumentInterface } from '@asyncapi/parser';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEVICE_OUTCOME_TYPES, TOPICS } from '@fleetjobs/contracts';
import { HubSimulatorAdminClient } from '@fleetjobs/hub-simulator';
import { EmbeddedProcess, startEmbeddedProcess } from '@fleetjobs/runtime';
import { ensureKafkaBrokers, eventViolations, loadAsyncApiDocument } from '@fleetjobs/testing';
import { REPOSITORY_ROOT } from '../support/build-once.setup';
import { eventually, FleetjobsClient, uniqueId } from '../support/fleetjobs.client';
import { createFleet, waitForJobEnd } from '../support/fleet.fixture';
import { E2E_SERVICE_ENV } from '../support/global-setup';
import { KafkaTopicsReader, PositionedMessage, readEmbeddedEventLog } from '../support/scenario-events';
import { systemUnderTest } from '../support/system-under-test';
import { freePort } from '../faults/support/free-port';

/**
 * Every event of a representative scenario, read as a consumer would — each message through the
 * official CloudEvents SDK's Kafka binding — conforms to docs/asyncapi.yaml as @asyncapi/parser
 * reads it: its type is a message of its channel, its headers and attributes (the actor's among
 * them) are documented and valid, its key is its subject, its data is valid against the schema.
 *
 * Distributed: the shared system's Kafka topics (namespace `e2e`, as global setup starts it),
 * read from the beginning by a consumer group of the test's own, keeping the scenario's keys.
 * Embedded: the process carries no Kafka. Its event log is a table in its PGlite holding the same
 * messages the Kafka adapter would send (topic, key, the `ce_*` headers of the binary content
 * mode, the JSON value), and that database belongs to the process that runs it. So the test runs
 * an embedded process of its own, drives the scenario, stops it, and reads its log from the
 * beginning; each stored message goes through the SDK's Kafka binding as a Kafka message would.
 */
const topology = process.env.E2E_TOPOLOGY ?? 'distributed';
const KAFKA_NAMESPACE = 'e2e';
const RUN = uniqueId('evc');

/** What the document says may follow `JobStopped` on a job's key (devices in flight, the targets still coming). */
const MAY_FOLLOW_JOB_STOPPED = new Set(['JobTargetsResolved', 'JobTargetingCompleted', 'JobTargetingFailed', 'DeviceSucceeded', 'DeviceFailed', 'JobRolloutProgressed', 'JobDispatchFinished', 'JobSettled']);

let api: FleetjobsClient;
let hub: HubSimulatorAdminClient;
let embedded: EmbeddedProcess | undefined;
let kafka: KafkaTopicsReader | undefined;
let document: AsyncAPIDocumentInterface;

const ofScenario = (key: string) => key.startsWith(RUN) || key.startsWith(`schedules/${RUN}`) || tokenIds.has(key);
const tokenIds = new Set<string>();

beforeAll(async () => {
  document = await loadAsyncApiDocument(join(REPOSITORY_ROOT, 'docs', 'asyncapi.yaml'));
  if (topology === 'embedded') {
    const dataDir = join(mkdtempSync(join(tmpdir(), 'fleetjobs-events-')), 'data');
    embedded = await startEmbeddedProcess({ port: await freePort(), dataDir, env: E2E_SERVICE_ENV });
    api = new FleetjobsClient(embedded.baseUrl, embedded.adminToken);
    hub = new HubSimulatorAdminClient(embedded.hub.connectionString, readFileSync(embedded.hub.caFile, 'utf8'));
  } else {
    ({ api, hub } = systemUnderTest());
    kafka = await KafkaTopicsReader.start(await ensureKafkaBrokers(), KAFKA_NAMESPACE, ofScenario);
  }
}, 180_000);

afterAll(async () => {
  hub?.close();
  await kafka?.close();
  await embedded?.stop();
});

async function anOperator(name: string): Promise<{ tokenId: string; api: FleetjobsClient }> {
  const created = await api.post('/api/tokens', { name: `${RUN} ${name}`, role: 'operator' });
  expect(created.status).toBe(201);
  tokenIds.add(created.body.id);
  return { tokenId: created.body.id, api: api.as(created.body.token) };
}

async function createJob(client: FleetjobsClient, label: string, body: Record<string, unknown>): Promise<string> {
  const jobId = `${RUN}-${label}`;
  const created = await client.put(`/api/jobs/${jobId}`, { displayName: label, ...body });
  expect(created.status).toBe(201);
  return jobId;
}

const progressOf = (jobId: string) => api.get(`/api/jobs/${jobId}`).then((response) => response.body);

/** Drives the scenario's commands; answers what it made, for the checks. */
async function driveScenario() {
  const alice = await anOperator('alice');
  const bob = await anOperator('bob');

  // Property (with a rollout: batches and a rate), setting (one device refuses it) and command jobs.
  const fleet = await createFleet(api, hub, { label: `${RUN}-a`, count: 6, simulator: (index) => (index === 5 ? { rejectSettings: true } : undefined) });
  const property = await createJob(api, 'property', {
    deviceSet: fleet.deviceSet,
    operations: [{ type: 'property', name: 'location', value: 'Aisle 7' }],
    rollout: { batches: { size: 3 }, rate: { perMinute: 6000 } },
  });
  const setting = await createJob(api, 'setting', { deviceSet: fleet.deviceSet, operations: [{ type: 'setting', name: 'fanSpeed', value: 4 }] });
  // A command job that needs approval, approved by another operator.
  const approved = await createJob(alice.api, 'approved', { deviceSet: fleet.deviceSet, operations: [{ type: 'command', name: 'reboot', value: { delay: 0 } }], approval: { required: true } });
  expect((await bob.api.post(`/api/jobs/${approved}/approve`)).status).toBe(200);
  expect(await waitForJobEnd(api, property)).toMatchObject({ status: 'completed' });
  expect(await waitForJobEnd(api, setting)).toMatchObject({ status: 'failed', counts: { failed: 1 } });
  expect(await waitForJobEnd(api, approved)).toMatchObject({ status: 'completed' });

  // A job scheduled a moment ahead: it reaches its start, then runs.
  const scheduled = await createJob(api, 'scheduled', {
    deviceSet: fleet.deviceSet,
    operations: [{ type: 'setting', name: 'fanSpeed', value: 6 }],
    schedule: { startAt: new Date(Date.now() + 2000).toISOString() },
  });
  expect(await waitForJobEnd(api, scheduled)).toMatchObject({ status: 'failed', counts: { completed: 5, failed: 1 } });

  // A job waiting for approval whose set breaks (its template deleted): approved, its targeting fails.
  const broken = await createFleet(api, hub, { label: `${RUN}-b`, count: 2 });
  const untargetable = await createJob(alice.api, 'untargetable', { deviceSet: broken.deviceSet, operations: [{ type: 'setting', name: 'fanSpeed', value: 1 }], approval: { required: true } });
  expect((await api.delete(`/api/device-templates/${broken.template}`)).status).toBe(204);
  expect((await bob.api.post(`/api/jobs/${untargetable}/approve`)).status).toBe(200);
  expect(await waitForJobEnd(api, untargetable)).toMatchObject({ status: 'failed' });
  expect((await api.delete(`/api/device-sets/${broken.deviceSet}`)).status).toBe(204);

  // Stopped while devices are in flight: slow devices at a job rate of 10 a second.
  const slow = await createFleet(api, hub, { label: `${RUN}-s`, count: 40, simulator: () => ({ latencyMs: 1000 }) });
  const stopped = await createJob(api, 'stopped', { deviceSet: slow.deviceSet, operations: [{ type: 'command', name: 'reboot', value: {} }], rollout: { rate: { perMinute: 600 } } });
  await eventually(() => progressOf(stopped), (job) => job?.counts?.completed >= 3, 60_000, 'the job to be stopped under way');
  const stop = await api.post(`/api/jobs/${stopped}/stop`);
  expect(stop.status).toBe(200);
  expect(stop.body.status).toBe('stopped');

  // Paused under way, then resumed to its end.
  const paced = await createFleet(api, hub, { label: `${RUN}-p`, count: 20, simulator: () => ({ latencyMs: 300 }) });
  const resumed = await createJob(api, 'resumed', { deviceSet: paced.deviceSet, operations: [{ type: 'setting', name: 'fanSpeed', value: 2 }], rollout: { rate: { perMinute: 600 } } });
  await eventually(() => progressOf(resumed), (job) => job?.counts?.completed >= 2, 60_000, 'the job to be paused under way');
  expect((await api.post(`/api/jobs/${resumed}/pause`)).status).toBe(200);
  // Queued behind the paused job (the same setting on its devices): released once that job has ended.
  await eventually(() => api.all(`/api/jobs/${resumed}/devices`), (devices) => devices.length === 20, 60_000, 'the paused job’s devices in the read model');
  const queued = `${RUN}-queued`;
  const queuedAnswer = await api.put(`/api/jobs/${queued}`, { displayName: 'queued', deviceSet: paced.deviceSet, operations: [{ type: 'setting', name: 'fanSpeed', value: 3 }], onConflict: 'queue' });
  expect(queuedAnswer.status).toBe(201);
  expect(queuedAnswer.body.waitingFor).toEqual([resumed]);
  expect((await api.post(`/api/jobs/${resumed}/resume`)).status).toBe(200);
  expect(await waitForJobEnd(api, resumed)).toMatchObject({ status: 'completed', counts: { completed: 20 } });
  expect(await waitForJobEnd(api, queued)).toMatchObject({ status: 'completed', counts: { completed: 20 } });

  // A recurring schedule every second for two runs: paused (its pending run stopped), resumed, ended, then deleted.
  const schedule = `${RUN}-recurring`;
  const scheduled1 = await api.put(`/api/jobs/${schedule}`, { displayName: 'recurring', deviceSet: fleet.deviceSet, operations: [{ type: 'command', name: 'reboot', value: { delay: 0 } }], schedule: { recurrence: { cron: '* * * * * *', count: 2 } } });
  expect(scheduled1.status).toBe(201);
  expect((await api.post(`/api/schedules/${schedule}/pause`)).status).toBe(200);
  expect((await api.post(`/api/schedules/${schedule}/resume`)).status).toBe(200);
  const ended = await eventually(() => api.get(`/api/schedules/${schedule}`), (answer) => answer.body?.status === 'ended', 60_000, 'the schedule to end');
  const runs = Array.from({ length: ended.body.runs }, (_, index) => `${schedule}.run-${index + 1}`);
  for (const run of runs) expect(['completed', 'stopped']).toContain((await waitForJobEnd(api, run)).status);
  expect((await api.delete(`/api/schedules/${schedule}`)).status).toBe(204);

  // Last of the catalogue commands: a device of a finished job deleted; and a token revoked.
  const deletedDevice = fleet.deviceIds[0];
  expect((await api.delete(`/api/devices/${deletedDevice}`)).status).toBe(204);
  expect((await api.delete(`/api/tokens/${alice.tokenId}`)).status).toBe(204);

  return { jobs: { property, setting, approved, scheduled, untargetable, resumed, queued }, stopped, runs, schedule, deletedDevice, revokedToken: alice.tokenId, deletedSet: broken.deviceSet };
}

type Scenario = Awaited<ReturnType<typeof driveScenario>>;
const has = (messages: PositionedMessage[], key: string, type: string) => messages.some((message) => message.key === key && message.headers.ce_type === type);

/** Every event of the scenario, read from the beginning of the topics (or of the embedded log). */
async function scenarioEvents(scenario: Scenario): Promise<PositionedMessage[]> {
  if (kafka) {
    return kafka.until('the scenario to end on the topics', (kept) =>
      [...Object.values(scenario.jobs), scenario.stopped, ...scenario.runs].every((jobId) => has(kept, jobId, 'JobSettled')) &&
      has(kept, `schedules/${scenario.schedule}`, 'ScheduleDeleted') &&
      has(kept, scenario.deletedDevice, 'DeviceDeleted') &&
      has(kept, scenario.deletedSet, 'DeviceSetDeleted') &&
      has(kept, scenario.revokedToken, 'TokenRevoked'),
    );
  }
  // The audit trail and the jobs' `settledAt` are projected from the log: once they show the last
  // commands and every job settled, their events and everything published before are in the log.
  for (const jobId of [...Object.values(scenario.jobs), scenario.stopped, ...scenario.runs]) {
    await eventually(() => api.get(`/api/jobs/${jobId}`), (answer) => typeof answer.body?.settledAt === 'string', 60_000, `job ${jobId} settled`);
  }
  for (const [subject, action] of [[scenario.deletedDevice, 'DeviceDeleted'], [scenario.deletedSet, 'DeviceSetDeleted'], [scenario.revokedToken, 'TokenRevoked']]) {
    await eventually(() => api.all(`/api/audit?subject=${encodeURIComponent(subject)}`), (entries) => entries.some((entry) => entry.action === action), 60_000, `${action} ${subject} in the audit trail`);
  }
  const running = embedded as EmbeddedProcess;
  embedded = undefined;
  await running.stop();
  return readEmbeddedEventLog(running.dataDir, ofScenario);
}

describe('the events of a representative scenario, as a consumer with the CloudEvents SDK reads them', () => {
  let scenario: Scenario;
  let events: PositionedMessage[];
  let lifecycle: PositionedMessage[];

  beforeAll(async () => {
    scenario = await driveScenario();
    const all = await scenarioEvents(scenario);
    events = all.filter((message) => message.topic !== TOPICS.jobLifecycle);
    lifecycle = all.filter((message) => message.topic === TOPICS.jobLifecycle);
  }, 600_000);

  it('parse as CloudEvents and match docs/asyncapi.yaml: type, headers and attributes, key, data', () => {
    expect(events.length).toBeGreaterThan(0);
    const violations = events.flatMap((message) => eventViolations(message, document).map((violation) => `${message.topic} ${message.key} @${message.offset}: ${violation}`));
    expect(violations).toEqual([]);
  });

  it('repeat on fleetjobs.jobs.lifecycle every job event but the device outcomes, in the same order per key, conforming there too', () => {
    const idsByKey = (messages: PositionedMessage[]) => {
      const byKey = new Map<string, string[]>();
      for (const message of [...messages].sort((a, b) => (a.offset < b.offset ? -1 : 1))) {
        const key = String(message.key);
        const ids = byKey.get(key) ?? [];
        if (!ids.includes(message.headers.ce_id)) ids.push(message.headers.ce_id);
        byKey.set(key, ids);
      }
      return Object.fromEntries([...byKey].sort(([a], [b]) => (a < b ? -1 : 1)));
    };
    const jobEvents = events.filter((message) => message.topic === TOPICS.jobs);
    expect(lifecycle.some((message) => message.headers.ce_type === 'JobSettled')).toBe(true);
    expect(lifecycle.filter((message) => DEVICE_OUTCOME_TYPES.includes(message.headers.ce_type))).toEqual([]);
    expect(idsByKey(lifecycle)).toEqual(idsByKey(jobEvents.filter((message) => !DEVICE_OUTCOME_TYPES.includes(message.headers.ce_type))));
    const violations = lifecycle.flatMap((message) => eventViolations(message, document).map((violation) => `${message.topic} ${message.key} @${message.offset}: ${violation}`));
    expect(violations).toEqual([]);
  });

  it('include every event type the document declares, with the actor on what people asked for', () => {
    const seen = new Set(events.map((message) => message.headers.ce_type));
    const declared = document.channels().all().flatMap((channel) => channel.messages().all().map((message) => message.name() ?? message.id()));
    expect(declared.filter((type) => !seen.has(type))).toEqual([]);
    const approvals = events.filter((message) => message.headers.ce_type === 'JobApproved');
    expect(approvals.map((message) => message.headers.ce_actorrole)).toEqual(['operator', 'operator']);
    expect(events.find((message) => message.headers.ce_type === 'TokenRevoked')?.headers).toMatchObject({ ce_actorrole: 'administrator' });
  });

  it('follow JobStopped only with what the document says may follow it', () => {
    const ofStopped = events.filter((message) => message.key === scenario.stopped).sort((a, b) => (a.offset < b.offset ? -1 : 1));
    const types = ofStopped.map((message) => message.headers.ce_type);
    expect(types.filter((type) => type === 'JobStopped')).toHaveLength(1);
    const after = types.slice(types.indexOf('JobStopped') + 1);
    expect(after.filter((type) => !MAY_FOLLOW_JOB_STOPPED.has(type))).toEqual([]);
    expect(after.filter((type) => type === 'JobDispatchFinished')).toHaveLength(1);
    process.stdout.write(`events after JobStopped: ${after.length} (${after.filter((type) => type === 'DeviceSucceeded').length} DeviceSucceeded)\n`);
  });

  it('end every job with one JobSettled, after all its outcomes, counting them and naming its final status', () => {
    const finalStatus: Record<string, string> = {};
    for (const jobId of [...Object.values(scenario.jobs), scenario.stopped]) {
      const ofJob = events.filter((message) => message.key === jobId).sort((a, b) => (a.offset < b.offset ? -1 : 1));
      const types = ofJob.map((message) => message.headers.ce_type);
      expect({ jobId, last: types[types.length - 1], settled: types.filter((type) => type === 'JobSettled').length }).toEqual({ jobId, last: 'JobSettled', settled: 1 });
      const settled = JSON.parse(ofJob[ofJob.length - 1].value ?? '{}') as { status: string; completed: number; failed: number };
      expect({ jobId, completed: settled.completed, failed: settled.failed }).toEqual({
        jobId,
        completed: types.filter((type) => type === 'DeviceSucceeded').length,
        failed: types.filter((type) => type === 'DeviceFailed').length,
      });
      finalStatus[jobId] = settled.status;
    }
    expect(finalStatus[scenario.stopped]).toBe('stopped');
    expect(finalStatus[scenario.jobs.untargetable]).toBe('failed');
    expect(finalStatus[scenario.jobs.property]).toBe('completed');
  });
});
