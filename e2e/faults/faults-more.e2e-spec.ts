import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { DEVICE_OUTCOME_TYPES, TOPICS } from '@fleetjobs/contracts';
import { ServiceProcess, waitUntil } from '@fleetjobs/runtime';
import { REPOSITORY_ROOT } from '../support/build-once.setup';
import { eventually, uniqueId } from '../support/fleetjobs.client';
import { createFleet, Fleet, waitForJobEnd } from '../support/fleet.fixture';
import { expectFaultOracle, hubChangesOf, JobOperationUnderTest } from './fault-oracle';
import { FaultSystem } from './support/fault-system';
import { freePort } from './support/free-port';
import { reportFigures } from './support/scenario-figures';

const NAMESPACE = 'faults';
const JOBS_TOPIC = `${NAMESPACE}.${TOPICS.jobs}`;
const LIFECYCLE_TOPIC = `${NAMESPACE}.${TOPICS.jobLifecycle}`;
const PROJECTION_GROUP = `${NAMESPACE}.projection`;
/** What the KafkaEventLog adapter gives every consumer group; no service reads it from its environment. */
const KAFKA_SESSION_TIMEOUT_MS = 10_000;
/** Long enough for a prompt device on a busy machine; the late devices answer after twice this. */
const SETTING_ACK_TIMEOUT_MS = 10_000;
const SIZE = { slowMember: 300, duplicates: 300, ackChaos: 120, storms: 400 };
const SERVICE_ENV = {
  LOG_LEVEL: 'warn',
  DISPATCH_ORPHAN_AFTER_MS: '3000',
  DISPATCH_CONCURRENCY: '32',
  SETTING_ACK_TIMEOUT_MS: String(SETTING_ACK_TIMEOUT_MS),
  COMMAND_TIMEOUT_MS: '15000',
  NODE_OPTIONS: '--max-old-space-size=256',
};
const SETTING: JobOperationUnderTest = { type: 'setting', name: 'fanSpeed', value: 3 };

let system: FaultSystem;
let kafka: Kafka;

beforeAll(async () => {
  system = await FaultSystem.start(SERVICE_ENV);
  await system.startDispatcher('dispatcher-1');
  await system.startDispatcher('dispatcher-2');
  kafka = new Kafka({ clientId: 'faults-more-test', brokers: system.kafka.brokers, logLevel: logLevel.NOTHING });
}, 600_000);

afterAll(async () => {
  await system?.stop();
}, 300_000);

async function startJob(fleet: Fleet, operation: JobOperationUnderTest, label: string): Promise<string> {
  const jobId = uniqueId(label);
  const created = await system.api.put(`/api/jobs/${jobId}`, { displayName: label, deviceSet: fleet.deviceSet, operations: [operation] });
  expect(created.status).toBe(201);
  return jobId;
}

async function withAdmin<T>(work: (admin: ReturnType<Kafka['admin']>) => Promise<T>): Promise<T> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    return await work(admin);
  } finally {
    await admin.disconnect();
  }
}

async function projectionMembers(): Promise<string[]> {
  return withAdmin(async (admin) => {
    const { groups } = await admin.describeGroups([PROJECTION_GROUP]);
    return groups[0]?.state === 'Stable' ? groups[0].members.map((member) => member.memberId) : [];
  });
}

/**
 * Waits until every consumer group that has ever committed on the jobs topic or its lifecycle
 * topic has committed up to its end: whatever was on them (duplicates included) has been handled.
 */
async function untilJobsTopicConsumed(): Promise<string[]> {
  return eventually(
    () =>
      withAdmin(async (admin) => {
        const groups = (await admin.listGroups()).groups.map((group) => group.groupId).filter((id) => id.startsWith(`${NAMESPACE}.`));
        const behind: string[] = [];
        const consuming: string[] = [];
        for (const topic of [JOBS_TOPIC, LIFECYCLE_TOPIC]) {
          const ends = new Map((await admin.fetchTopicOffsets(topic)).map((p) => [p.partition, BigInt(p.high)]));
          for (const groupId of groups) {
            const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] });
            const partitions = committed?.partitions.filter((p) => p.offset !== '-1') ?? [];
            if (partitions.length === 0) continue;
            consuming.push(`${groupId} (${topic})`);
            for (const [partition, end] of ends) {
              const at = partitions.find((p) => p.partition === partition);
              if (end > 0n && (at === undefined || BigInt(at.offset) < end)) behind.push(`${groupId}[${topic}:${partition}]`);
            }
          }
        }
        return { consuming, behind };
      }),
    ({ consuming, behind }) => consuming.length > 0 && behind.length === 0,
    180_000,
    'every group to consume the jobs topic to its end',
  ).then(({ consuming }) => consuming);
}

describe('a projection member frozen (SIGSTOP) for longer than the Kafka session timeout', () => {
  let second: ServiceProcess;

  beforeAll(async () => {
    const port = await freePort();
    second = new ServiceProcess('projection-2', join(REPOSITORY_ROOT, 'dist', 'services', 'projection', 'src', 'main.js'), {
      PATH: process.env.PATH,
      NODE_ENV: 'production',
      KAFKA_BROKERS: system.kafka.brokers.join(','),
      KAFKA_NAMESPACE: NAMESPACE,
      ...SERVICE_ENV,
      DATABASE_URL: system.postgres.url('fleetjobs_faults_projection'),
      PORT: String(port),
    }, join(system.topology.process('projection').logFile, '..'));
    second.start();
    await waitUntil(async () => {
      if (!second.running) throw new Error(`projection-2 exited; see ${second.logFile}`);
      return (await fetch(`http://127.0.0.1:${port}/health/ready`, { signal: AbortSignal.timeout(2000) })).ok;
    }, { timeoutMs: 120_000, intervalMs: 250, what: 'projection-2 to be ready' });
    await eventually(projectionMembers, (members) => members.length === 2, 60_000, 'two members in the projection group');
  }, 300_000);

  afterAll(async () => {
    await second?.stop();
  }, 120_000);

  it('setting job: the group rebalances around it, its batch goes to the other member; the read model ends exact', async () => {
    const startedAt = Date.now();
    const fleet = await createFleet(system.api, system.hub, { label: 'slow-member', count: SIZE.slowMember, simulator: () => ({ latencyMs: 500 }) });
    const jobId = await startJob(fleet, SETTING, 'slow-member');
    await eventually(() => system.api.get(`/api/jobs/${jobId}`), (r) => r.body?.counts?.completed >= 10, 120_000, 'outcomes to be projected');
    const membersBefore = await projectionMembers();
    const frozen = system.topology.process('projection');
    const pid = frozen.pid!;
    process.kill(pid, 'SIGSTOP');
    const frozenAt = Date.now();
    let membersWhileFrozen: string[] = [];
    try {
      // The broker drops the silent member once its session times out; the other one takes all
      // partitions. (The API reads through the frozen process, so only Kafka is asked meanwhile.)
      membersWhileFrozen = await eventually(projectionMembers, (members) => members.length === 1, 60_000, 'the frozen member to be dropped');
    } finally {
      process.kill(pid, 'SIGCONT');
    }
    const frozenMs = Date.now() - frozenAt;
    expect(frozenMs).toBeGreaterThanOrEqual(KAFKA_SESSION_TIMEOUT_MS - 1000);
    expect(membersBefore).toHaveLength(2);
    expect(membersBefore).toContain(membersWhileFrozen[0]);
    const membersAfter = await eventually(projectionMembers, (members) => members.length === 2, 120_000, 'the frozen member to rejoin');
    expect(frozen.running).toBe(true);

    await waitForJobEnd(system.api, jobId, 180_000);
    await untilJobsTopicConsumed();
    const outcome = await expectFaultOracle(system.api, system.hub, { jobId, deviceIds: fleet.deviceIds, operation: SETTING });
    expect(outcome.rows.filter((row) => row.status !== 'completed').slice(0, 5)).toEqual([]);
    expect(outcome).toMatchObject({ status: 'completed', completed: SIZE.slowMember, failed: 0, unknown: 0 });
    reportFigures('projection frozen past the Kafka session timeout, setting job', {
      devices: SIZE.slowMember,
      'frozen ms': frozenMs,
      'session timeout ms': KAFKA_SESSION_TIMEOUT_MS,
      'members before/while/after': `${membersBefore.length}/${membersWhileFrozen.length}/${membersAfter.length}`,
      completed: outcome.completed,
      'patched twice': 0,
    }, startedAt);
  });
});

describe('producer retry duplicates: every event of a running job published onto the topic a second time', () => {
  it('setting job: counts and status stay exact, no device runs twice', async () => {
    const startedAt = Date.now();
    const fleet = await createFleet(system.api, system.hub, { label: 'duplicates', count: SIZE.duplicates, simulator: () => ({ latencyMs: 200 }) });
    const jobId = await startJob(fleet, SETTING, 'duplicates');
    await eventually(() => system.api.get(`/api/jobs/${jobId}`), (r) => r.body?.counts?.completed >= SIZE.duplicates / 3, 120_000, 'a third of the devices done');

    // Everything the job has on the topic so far, read back and published again as a producer retry would.
    const copies = await readJobMessages(jobId);
    const types = new Map<string, number>();
    for (const message of copies) {
      const type = String(message.headers?.ce_type ?? '');
      types.set(type, (types.get(type) ?? 0) + 1);
    }
    expect(types.get('JobTargetsResolved') ?? 0).toBeGreaterThan(0);
    expect(types.get('DeviceSucceeded') ?? 0).toBeGreaterThan(0);
    const producer = kafka.producer();
    await producer.connect();
    try {
      await producer.send({ topic: JOBS_TOPIC, acks: -1, messages: copies.map(({ key, value, headers }) => ({ key, value, headers })) });
      // A retried publish repeats the lifecycle copies as well.
      const lifecycle = copies.filter((message) => !DEVICE_OUTCOME_TYPES.includes(String(message.headers?.ce_type ?? '')));
      await producer.send({ topic: LIFECYCLE_TOPIC, acks: -1, messages: lifecycle.map(({ key, value, headers }) => ({ key, value, headers })) });
    } finally {
      await producer.disconnect();
    }

    await waitForJobEnd(system.api, jobId, 180_000);
    const groups = await untilJobsTopicConsumed();
    const outcome = await expectFaultOracle(system.api, system.hub, { jobId, deviceIds: fleet.deviceIds, operation: SETTING });
    expect(outcome.rows.filter((row) => row.status !== 'completed').slice(0, 5)).toEqual([]);
    expect(outcome).toMatchObject({ status: 'completed', completed: SIZE.duplicates, failed: 0, unknown: 0 });
    const [claims] = await system.query<{ n: string }>('dispatcher', 'SELECT count(*) AS n FROM dispatcher.operations WHERE job_id = $1', [jobId]);
    expect(Number(claims.n)).toBe(SIZE.duplicates);
    reportFigures('events of a running job published twice, setting job', {
      devices: SIZE.duplicates,
      'events duplicated': copies.length,
      'of them DeviceSucceeded': types.get('DeviceSucceeded') ?? 0,
      'of them JobTargetsResolved': types.get('JobTargetsResolved') ?? 0,
      'groups that consumed them': groups.length,
      completed: outcome.completed,
      'patched twice': 0,
    }, startedAt);
  });
});

/** The job's messages on the jobs topic (keyed by job id) up to the topic's current end. */
async function readJobMessages(jobId: string): Promise<{ key: Buffer | null; value: Buffer | null; headers?: Record<string, any> }[]> {
  const ends = await withAdmin((admin) => admin.fetchTopicOffsets(JOBS_TOPIC));
  const remaining = new Map(ends.filter((p) => BigInt(p.high) > 0n).map((p) => [p.partition, BigInt(p.high)]));
  const found: { key: Buffer | null; value: Buffer | null; headers?: Record<string, any> }[] = [];
  const consumer = kafka.consumer({ groupId: uniqueId('faults-more-reader') });
  await consumer.connect();
  try {
    await consumer.subscribe({ topic: JOBS_TOPIC, fromBeginning: true });
    let done!: () => void;
    const allRead = new Promise<void>((resolve) => (done = resolve));
    if (remaining.size === 0) done();
    await consumer.run({
      eachMessage: async ({ partition, message }) => {
        const end = remaining.get(partition);
        if (end === undefined || BigInt(message.offset) >= end) return;
        if (message.key?.toString('utf8') === jobId) found.push({ key: message.key, value: message.value, headers: message.headers });
        if (BigInt(message.offset) + 1n >= end) remaining.delete(partition);
        if (remaining.size === 0) done();
      },
    });
    await Promise.race([allRead, new Promise((_, reject) => setTimeout(() => reject(new Error('reading the jobs topic took over 60 s')), 60_000))]);
  } finally {
    await consumer.disconnect();
  }
  await withAdmin(async (admin) => {
    const stale = (await admin.listGroups()).groups.map((group) => group.groupId).filter((id) => id.startsWith('faults-more-reader'));
    if (stale.length > 0) await admin.deleteGroups(stale).catch(() => undefined);
  });
  return found;
}

describe('device acknowledgement chaos: late, offline then online, rejecting', () => {
  it('setting job: one outcome per device that says why, no desired patch twice, a late acknowledgement flips nothing', async () => {
    const startedAt = Date.now();
    const kindOf = (index: number) => (['late', 'offline', 'rejecting', 'prompt'] as const)[index % 4];
    const fleet = await createFleet(system.api, system.hub, {
      label: 'ack-chaos',
      count: SIZE.ackChaos,
      simulator: (index) =>
        ({
          late: { latencyMs: SETTING_ACK_TIMEOUT_MS * 2 },
          offline: { online: false },
          rejecting: { rejectSettings: true, latencyMs: 100 },
          prompt: { latencyMs: 100 },
        })[kindOf(index)],
    });
    const devicesOf = (kind: string) => fleet.deviceIds.filter((_, index) => kindOf(index) === kind);
    const jobId = await startJob(fleet, SETTING, 'ack-chaos');

    // The offline devices fail first; they come online while the late ones still hold the job open.
    const offline = new Set(devicesOf('offline'));
    const rowsNow = () => system.api.all<{ deviceId: string; status: string; error?: string | null }>(`/api/jobs/${jobId}/devices`);
    await eventually(rowsNow, (rows) => rows.filter((row) => offline.has(row.deviceId) && row.status === 'failed').length === offline.size, 120_000, 'the offline devices to fail');
    const jobWhenOnline = (await system.api.get(`/api/jobs/${jobId}`)).body.status;
    for (const deviceId of offline) {
      const patched = await system.hub.request('PATCH', `/twins/${encodeURIComponent(deviceId)}?api-version=2021-04-12`, { tags: { simulator: { online: true } } });
      expect(patched.status).toBe(200);
    }

    await waitForJobEnd(system.api, jobId, 180_000);
    // The late devices do acknowledge, after the job gave up on them.
    const late = devicesOf('late');
    await eventually(
      () => Promise.all(late.map(async (deviceId) => (await system.hub.request('GET', `/twins/${encodeURIComponent(deviceId)}?api-version=2021-04-12`)).body)),
      (twins) => twins.every((twin: any) => JSON.stringify(twin?.properties?.reported?.[SETTING.name] ?? null).includes('"ac":200')),
      60_000,
      'the late devices to acknowledge',
    );
    await untilJobsTopicConsumed();

    const outcome = await expectFaultOracle(system.api, system.hub, { jobId, deviceIds: fleet.deviceIds, operation: SETTING });
    const byId = new Map(outcome.rows.map((row) => [row.deviceId, row]));
    const wrong = (kind: string, status: string, error?: RegExp) =>
      devicesOf(kind).map((id) => byId.get(id)!).filter((row) => row.status !== status || (error !== undefined && !error.test(row.error ?? '')));
    expect(wrong('late', 'failed', /did not acknowledge/)).toEqual([]);
    expect(wrong('offline', 'failed', /offline/)).toEqual([]);
    expect(wrong('rejecting', 'failed', /rejected/)).toEqual([]);
    expect(wrong('prompt', 'completed')).toEqual([]);
    // Nothing was written to a device while it was offline; each of the others got its patch once.
    expect(devicesOf('offline').filter((id) => outcome.changesPerDevice.has(id))).toEqual([]);
    expect(fleet.deviceIds.filter((id) => !offline.has(id) && outcome.changesPerDevice.get(id)?.length !== 1)).toEqual([]);
    const afterLateAcks = await hubChangesOf(system.hub, SETTING, fleet.deviceIds);
    expect(afterLateAcks.length).toBe(SIZE.ackChaos - offline.size);
    reportFigures('acknowledgement chaos, setting job', {
      devices: SIZE.ackChaos,
      'ack timeout ms': SETTING_ACK_TIMEOUT_MS,
      'late (failed, acknowledged later)': late.length,
      'offline (then online)': offline.size,
      'job when they came online': jobWhenOnline,
      rejecting: devicesOf('rejecting').length,
      completed: outcome.completed,
      failed: outcome.failed,
      'patched twice': 0,
    }, startedAt);
  });
});

describe('429 storms: for seconds at a time the hub serves a fraction of what the dispatchers send', () => {
  /** The hub's limit during a storm, far below the 64 devices the two dispatchers work on at once. */
  const STORM_LIMIT = 10;
  /**
   * The hub's limit between storms: several times a storm's, but bounded, so that the devices done
   * in a calm do not depend on how late this test sees the job's progress (unbounded, a busy
   * machine's lag let the job finish inside a calm, before a second storm).
   */
  const CALM_LIMIT = 40;
  /** Every device in flight may try once per Retry-After (a second): more would be a retry storm of our own. */
  const THROTTLED_PER_SECOND_BOUND = 2 * 2 * Number(SERVICE_ENV.DISPATCH_CONCURRENCY);

  afterAll(() => system.hub.setMaxRequestsPerSecond(null));

  it('setting job: within each storm second the hub serves at most its limit and refuses a bounded number, no device fails for it, none is patched twice', async () => {
    const startedAt = Date.now();
    const fleet = await createFleet(system.api, system.hub, { label: 'storms', count: SIZE.storms, simulator: () => ({ latencyMs: 100 }) });
    // The first storm is in force from the job's start: unthrottled, its devices could all be done
    // before this test saw the first of them.
    await system.hub.setMaxRequestsPerSecond(STORM_LIMIT);
    let from = await system.hub.arrivalMark();
    const jobId = await startJob(fleet, SETTING, 'storms');
    const jobNow = async () => (await system.api.get(`/api/jobs/${jobId}`)).body;
    const ended = (job: { status: string }) => ['completed', 'failed', 'stopped'].includes(job.status);

    // Storms and calms alternate until the job ends: a storm lasts four seconds on the hub's clock
    // with requests refused, a calm until a sixth of the devices more are done.
    const storms: { from: string; to: string }[] = [];
    await eventually(jobNow, (job) => job.id === jobId, 120_000, 'the job in the read model');
    for (let job = await jobNow(); !ended(job); job = await jobNow()) {
      if (storms.length > 0) {
        await system.hub.setMaxRequestsPerSecond(STORM_LIMIT);
        from = await system.hub.arrivalMark();
      }
      const storm = await eventually(
        async () => ({ seconds: await system.hub.requestsPerSecond(from), job: await jobNow() }),
        ({ seconds, job: now }) => ended(now) || seconds.filter((second) => second.throttled > 0 && Date.parse(second.second) > Date.parse(from)).length >= 4,
        120_000,
        'a storm of four seconds with requests refused',
      );
      // A storm cut short by the job's end is not judged.
      if (!ended(storm.job)) storms.push({ from, to: await system.hub.arrivalMark() });
      else break;
      await system.hub.setMaxRequestsPerSecond(CALM_LIMIT);
      const doneBefore = storm.job.counts.completed + storm.job.counts.failed;
      await eventually(jobNow, (now) => ended(now) || now.counts.completed + now.counts.failed >= doneBefore + SIZE.storms / 6, 120_000, 'progress between storms');
    }

    // Whole seconds inside each storm, leaving out the first (the hub's bucket starts full).
    const stormSecondsByStorm = await Promise.all(
        storms.map(async ({ from, to }) =>
          (await system.hub.requestsPerSecond(from)).filter(
            (second) => Date.parse(second.second) >= Math.floor(Date.parse(from) / 1000) * 1000 + 2000 && Date.parse(second.second) + 1000 <= Date.parse(to),
          ),
        ),
    );
    const stormSeconds = stormSecondsByStorm.flat();
    const outcome = await expectFaultOracle(system.api, system.hub, { jobId, deviceIds: fleet.deviceIds, operation: SETTING });
    expect(storms.length).toBeGreaterThanOrEqual(2);
    expect(stormSeconds.length).toBeGreaterThanOrEqual(2 * storms.length);
    // Each storm was in force while judged: the hub refused in some of its seconds. Not in every
    // one: a second in which the dispatchers, slowed by a busy machine or waiting out Retry-After,
    // send no more than the limit is served whole, and that is the hub doing its job.
    expect(stormSecondsByStorm.filter((seconds) => !seconds.some((second) => second.throttled > 0))).toEqual([]);
    // The hub's bucket holds one second's worth: over n storm seconds it serves at most (n + 1) × its limit.
    for (const seconds of stormSecondsByStorm) {
      expect(seconds.reduce((sum, second) => sum + second.accepted, 0)).toBeLessThanOrEqual((seconds.length + 1) * STORM_LIMIT);
    }
    expect(stormSeconds.filter((second) => second.throttled > THROTTLED_PER_SECOND_BOUND)).toEqual([]);
    expect(outcome.rows.filter((row) => row.status !== 'completed').slice(0, 5)).toEqual([]);
    expect(outcome).toMatchObject({ status: 'completed', completed: SIZE.storms, failed: 0, unknown: 0 });
    reportFigures('429 storms, setting job', {
      devices: SIZE.storms,
      storms: storms.length,
      'storm limit per second': STORM_LIMIT,
      'storm seconds judged': stormSeconds.length,
      'max served in a storm second': Math.max(...stormSeconds.map((second) => second.accepted)),
      'max refused in a storm second': Math.max(...stormSeconds.map((second) => second.throttled)),
      'mean refused per storm second': Math.round(stormSeconds.reduce((sum, second) => sum + second.throttled, 0) / stormSeconds.length),
      completed: outcome.completed,
      'patched twice': 0,
    }, startedAt);
  });
});
