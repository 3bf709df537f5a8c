import { Client } from 'pg';
import { waitUntil } from '@fleetjobs/runtime';
import { eventually, uniqueId } from '../support/fleetjobs.client';
import { createFleet, Fleet, waitForJobEnd } from '../support/fleet.fixture';
import { expectFaultOracle, JobOperationUnderTest } from './fault-oracle';
import { FaultDispatcher, FaultSystem } from './support/fault-system';
import { metricTotal, reportFigures } from './support/scenario-figures';

/** Sizes are kept so that the whole stage fits in a few minutes on two busy cores. */
const SIZE = {
  settingKill: 800,
  commandKill: 300,
  stop: 400,
  outage: 400,
};
const ORPHAN_AFTER_MS = 3000;
const SERVICE_ENV = {
  LOG_LEVEL: 'warn',
  DISPATCH_ORPHAN_AFTER_MS: String(ORPHAN_AFTER_MS),
  DISPATCH_CONCURRENCY: '32',
  SETTING_ACK_TIMEOUT_MS: '20000',
  COMMAND_TIMEOUT_MS: '15000',
  NODE_OPTIONS: '--max-old-space-size=256',
};
const SETTING: JobOperationUnderTest = { type: 'setting', name: 'fanSpeed', value: 3 };
const PROPERTY: JobOperationUnderTest = { type: 'property', name: 'location', value: 'Aisle 7' };
const COMMAND: JobOperationUnderTest = { type: 'command', name: 'reboot', value: { delay: 0 } };

let system: FaultSystem;

beforeAll(async () => {
  system = await FaultSystem.start(SERVICE_ENV);
  await system.startDispatcher('dispatcher-1');
  await system.startDispatcher('dispatcher-2');
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

/** Waits until the dispatcher holds claims of the job that were already marked as maybe sent. */
async function untilSending(dispatcher: FaultDispatcher, jobId: string, minimum = 1): Promise<void> {
  await eventually(
    () => system.inFlightOf(dispatcher.workerId),
    (claims) => claims.filter((claim) => claim.job_id === jobId && claim.sent).length >= minimum,
    120_000,
    `${dispatcher.name} to be sending devices of ${jobId}`,
  );
}

/**
 * Waits until the dispatchers have finished the job (nothing in flight, nothing more to start)
 * and the API shows exactly their tallies.
 */
async function untilSettled(jobId: string): Promise<void> {
  await eventually(
    async () => {
      const [dispatch] = await system.query<{ finished: boolean; completed: string; failed: string; pending: string }>(
        'dispatcher',
        `SELECT j.finished_at IS NOT NULL AS finished,
           (SELECT count(*) FROM dispatcher.operations o WHERE o.job_id = j.job_id AND o.status = 'completed') AS completed,
           (SELECT count(*) FROM dispatcher.operations o WHERE o.job_id = j.job_id AND o.status = 'failed') AS failed,
           (SELECT count(*) FROM dispatcher.operations o WHERE o.job_id = j.job_id AND o.status = 'pending') AS pending
         FROM dispatcher.jobs j WHERE j.job_id = $1`,
        [jobId],
      );
      return { dispatch, counts: (await system.api.get(`/api/jobs/${jobId}`)).body?.counts };
    },
    ({ dispatch, counts }) =>
      dispatch?.finished === true &&
      counts?.completed === Number(dispatch.completed) &&
      counts?.failed === Number(dispatch.failed) &&
      counts?.pending === Number(dispatch.pending),
    180_000,
    `job ${jobId} to settle`,
  );
}

describe('a dispatcher killed (kill -9) mid-job, two dispatchers', () => {
  it('setting job: the claims it left are re-driven from the twins: all completed, none unknown, none patched twice', async () => {
    const startedAt = Date.now();
    const fleet = await createFleet(system.api, system.hub, { label: 'kill-setting', count: SIZE.settingKill, simulator: () => ({ latencyMs: 400 }) });
    const jobId = await startJob(fleet, SETTING, 'kill-setting');
    const victim = system.dispatcher('dispatcher-1');
    await untilSending(victim, jobId, 5);
    await victim.process.stop('SIGKILL');
    const left = (await system.inFlightOf(victim.workerId)).filter((claim) => claim.job_id === jobId);
    expect(left.filter((claim) => claim.sent).length).toBeGreaterThan(0);

    await waitForJobEnd(system.api, jobId, 180_000);
    const outcome = await expectFaultOracle(system.api, system.hub, { jobId, deviceIds: fleet.deviceIds, operation: SETTING });
    expect(outcome).toMatchObject({ status: 'completed', completed: SIZE.settingKill, failed: 0, unknown: 0 });
    reportFigures('kill -9 dispatcher, setting job', {
      devices: SIZE.settingKill,
      'claims left in flight': left.length,
      'of them maybe sent': left.filter((claim) => claim.sent).length,
      completed: outcome.completed,
      unknown: outcome.unknown,
      'patched twice': 0,
    }, startedAt);
    await system.restartDispatcher(victim.name);
  });

  it('command job: only commands that may have been sent are concluded unknown, none reaches the hub twice', async () => {
    const startedAt = Date.now();
    const fleet = await createFleet(system.api, system.hub, { label: 'kill-command', count: SIZE.commandKill, simulator: () => ({ latencyMs: 400 }) });
    const jobId = await startJob(fleet, COMMAND, 'kill-command');
    const victim = system.dispatcher('dispatcher-2');
    await untilSending(victim, jobId, 5);
    await victim.process.stop('SIGKILL');
    const left = (await system.inFlightOf(victim.workerId)).filter((claim) => claim.job_id === jobId);
    const leftSent = new Set(left.filter((claim) => claim.sent).map((claim) => claim.device_id));
    expect(leftSent.size).toBeGreaterThan(0);

    await waitForJobEnd(system.api, jobId, 180_000);
    const outcome = await expectFaultOracle(system.api, system.hub, { jobId, deviceIds: fleet.deviceIds, operation: COMMAND });
    const unknownDevices = outcome.rows.filter((row) => /outcome unknown/.test(row.error ?? '')).map((row) => row.deviceId);
    // "Unknown" is said only of a command the killed dispatcher may have sent and did not record.
    expect(unknownDevices.filter((deviceId) => !leftSent.has(deviceId))).toEqual([]);
    expect(outcome.failed).toBe(outcome.unknown);
    const receivedUnrecorded = unknownDevices.filter((deviceId) => outcome.changesPerDevice.has(deviceId)).length;
    reportFigures('kill -9 dispatcher, command job', {
      devices: SIZE.commandKill,
      'claims left in flight': left.length,
      'of them maybe sent': leftSent.size,
      completed: outcome.completed,
      unknown: outcome.unknown,
      'unknown the hub had received': receivedUnrecorded,
      'received twice': 0,
    }, startedAt);
    await system.restartDispatcher(victim.name);
  });
});

describe('stopping a job while the hub throttles, dispatchers with a rate limit above the hub\'s', () => {
  // Far below the 100 requests per second the dispatchers allow themselves together: 429s rain.
  const HUB_LIMIT = 20;
  const throttled: FaultDispatcher[] = [];

  beforeAll(async () => {
    for (const dispatcher of system.runningDispatchers) await dispatcher.process.stop();
    throttled.push(await system.startDispatcher('limited-1', { HUB_RATE_LIMIT_PER_SECOND: '100' }));
    throttled.push(await system.startDispatcher('limited-2', { HUB_RATE_LIMIT_PER_SECOND: '100' }));
    await system.hub.setMaxRequestsPerSecond(HUB_LIMIT);
  }, 300_000);

  afterAll(async () => {
    await system.hub.setMaxRequestsPerSecond(null);
    for (const dispatcher of throttled) await dispatcher.process.stop();
    await system.restartDispatcher('dispatcher-1');
    await system.restartDispatcher('dispatcher-2');
  }, 300_000);

  it.each([
    ['property', PROPERTY],
    ['setting', SETTING],
    ['command', COMMAND],
  ])('%s job: no change reaches the hub after the stop answers, none twice, the rest stays pending', async (_type, operation) => {
    const startedAt = Date.now();
    const throttledBefore = (await Promise.all(throttled.map((d) => metricTotal(d.port, 'fleetjobs_hub_throttled_total')))).reduce((a, b) => a + b, 0);
    const fleet = await createFleet(system.api, system.hub, {
      label: `stop-${operation.type}`,
      count: SIZE.stop,
      simulator: () => (operation.type === 'property' ? undefined : { latencyMs: 200 }),
    });
    const jobId = await startJob(fleet, operation, `stop-${operation.type}`);
    await eventually(() => system.api.get(`/api/jobs/${jobId}`), (r) => r.body?.counts?.completed >= 40, 120_000, 'some devices done');
    const stopped = await system.api.post(`/api/jobs/${jobId}/stop`);
    const stopAnsweredAt = Date.now();
    expect(stopped.status).toBe(200);
    await untilSettled(jobId);
    const throttledAfter = (await Promise.all(throttled.map((d) => metricTotal(d.port, 'fleetjobs_hub_throttled_total')))).reduce((a, b) => a + b, 0);
    expect(throttledAfter).toBeGreaterThan(throttledBefore);
    const outcome = await expectFaultOracle(system.api, system.hub, { jobId, deviceIds: fleet.deviceIds, operation, stopAnsweredAt });
    expect(outcome.status).toBe('stopped');
    expect(outcome.pending).toBeGreaterThan(0);
    reportFigures(`stop under 429s, ${operation.type} job`, {
      devices: SIZE.stop,
      '429s during the job': throttledAfter - throttledBefore,
      reached: outcome.reached,
      pending: outcome.pending,
      'changes after the answer': outcome.afterStop,
    }, startedAt);
  });
});

/** A fault that lasts this long (its shape, not a wait for the system). */
function faultFor(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
}

describe('PostgreSQL restarted mid-job (the cluster of this test: down ~5 s, then up)', () => {
  it('command job: it completes, the live dispatchers do not conclude each other\'s work as unknown, nothing runs twice', async () => {
    const startedAt = Date.now();
    const fleet = await createFleet(system.api, system.hub, { label: 'pg-restart', count: SIZE.outage, simulator: () => ({ latencyMs: 300 }) });
    const jobId = await startJob(fleet, COMMAND, 'pg-restart');
    const live = system.runningDispatchers;
    expect(live.length).toBe(2);
    for (const dispatcher of live) await untilSending(dispatcher, jobId);
    const failedBefore = live.map((dispatcher) => dispatcher.proxy.traffic.failedConnects);
    const completedBefore = (await system.api.get(`/api/jobs/${jobId}`)).body.counts.completed;

    const downAt = Date.now();
    await system.postgres.stop('fast');
    await faultFor(5000);
    await system.postgres.start();
    const downMs = Date.now() - downAt;
    // Both dispatchers tried to reach the database while it was down.
    live.forEach((dispatcher, index) => expect(dispatcher.proxy.traffic.failedConnects).toBeGreaterThan(failedBefore[index]));

    const job = await waitForJobEnd(system.api, jobId, 180_000);
    expect(completedBefore).toBeLessThan(SIZE.outage);
    const outcome = await expectFaultOracle(system.api, system.hub, { jobId, deviceIds: fleet.deviceIds, operation: COMMAND });
    expect(outcome).toMatchObject({ status: 'completed', completed: SIZE.outage, failed: 0, unknown: 0 });
    expect(job.status).toBe('completed');
    reportFigures('PostgreSQL restarted mid command job', {
      devices: SIZE.outage,
      'completed before the outage': completedBefore,
      'outage ms': downMs,
      completed: outcome.completed,
      unknown: outcome.unknown,
      'received twice': 0,
    }, startedAt);
  });
});

describe('the link between one dispatcher and PostgreSQL cut for longer than DISPATCH_ORPHAN_AFTER_MS', () => {
  it.each([
    ['setting', SETTING],
    ['command', COMMAND],
  ])('%s job: the other dispatcher takes its claims over; nothing is applied twice, the cut one records nothing of them', async (_type, operation) => {
    const startedAt = Date.now();
    const fleet = await createFleet(system.api, system.hub, { label: `cut-${operation.type}`, count: SIZE.outage, simulator: () => ({ latencyMs: 300 }) });
    const jobId = await startJob(fleet, operation, `cut-${operation.type}`);
    const cut = system.dispatcher('dispatcher-1');
    await untilSending(cut, jobId, 5);
    const before = { ...cut.proxy.traffic };
    cut.proxy.blackhole();
    const cutAt = Date.now();
    let takenOver = 0;
    try {
      const claims = (await system.inFlightOf(cut.workerId)).filter((claim) => claim.job_id === jobId);
      takenOver = claims.length;
      await eventually(
        async () => (await system.inFlightOf(cut.workerId)).filter((claim) => claim.job_id === jobId).length,
        (left) => left === 0,
        120_000,
        'the other dispatcher to take over the cut one\'s claims',
      );
      await faultFor(ORPHAN_AFTER_MS - (Date.now() - cutAt));
    } finally {
      cut.proxy.heal();
    }
    const cutMs = Date.now() - cutAt;
    expect(cutMs).toBeGreaterThanOrEqual(ORPHAN_AFTER_MS);
    expect(takenOver).toBeGreaterThan(0);
    // The cut dispatcher kept talking to the database: its traffic was held, not delivered.
    expect(cut.proxy.traffic.heldBytes).toBeGreaterThan(before.heldBytes);

    await waitForJobEnd(system.api, jobId, 180_000);
    const outcome = await expectFaultOracle(system.api, system.hub, { jobId, deviceIds: fleet.deviceIds, operation });
    if (operation.type === 'setting') expect(outcome).toMatchObject({ status: 'completed', completed: SIZE.outage, unknown: 0 });
    else expect(outcome.failed).toBe(outcome.unknown);
    reportFigures(`PostgreSQL link of a dispatcher cut, ${operation.type} job`, {
      devices: SIZE.outage,
      'cut ms': cutMs,
      'claims taken over': takenOver,
      'bytes held': cut.proxy.traffic.heldBytes - before.heldBytes,
      completed: outcome.completed,
      unknown: outcome.unknown,
      'applied twice': 0,
    }, startedAt);
  });

  it('setting job with one dispatcher frozen (SIGSTOP) past the window, then resumed: nothing is applied twice', async () => {
    const startedAt = Date.now();
    const fleet = await createFleet(system.api, system.hub, { label: 'frozen', count: SIZE.outage, simulator: () => ({ latencyMs: 300 }) });
    const jobId = await startJob(fleet, SETTING, 'frozen');
    const frozen = system.dispatcher('dispatcher-1');
    await untilSending(frozen, jobId, 5);
    const pid = frozen.process.pid!;
    process.kill(pid, 'SIGSTOP');
    const frozenAt = Date.now();
    let takenOver = 0;
    try {
      takenOver = (await system.inFlightOf(frozen.workerId)).filter((claim) => claim.job_id === jobId).length;
      await eventually(
        async () => (await system.inFlightOf(frozen.workerId)).filter((claim) => claim.job_id === jobId).length,
        (left) => left === 0,
        120_000,
        'the other dispatcher to take over the frozen one\'s claims',
      );
      await faultFor(ORPHAN_AFTER_MS - (Date.now() - frozenAt));
    } finally {
      process.kill(pid, 'SIGCONT');
    }
    const frozenMs = Date.now() - frozenAt;
    expect(frozenMs).toBeGreaterThanOrEqual(ORPHAN_AFTER_MS);
    expect(takenOver).toBeGreaterThan(0);
    await waitForJobEnd(system.api, jobId, 180_000);
    const outcome = await expectFaultOracle(system.api, system.hub, { jobId, deviceIds: fleet.deviceIds, operation: SETTING });
    expect(outcome).toMatchObject({ status: 'completed', completed: SIZE.outage, unknown: 0 });
    reportFigures('dispatcher frozen past the orphan window, setting job', { devices: SIZE.outage, 'frozen ms': frozenMs, 'claims taken over': takenOver, completed: outcome.completed, 'applied twice': 0 }, startedAt);
  });

  it('setting job under 400 ms of latency on one dispatcher\'s link: nothing is applied twice', async () => {
    const startedAt = Date.now();
    const fleet = await createFleet(system.api, system.hub, { label: 'slow-link', count: SIZE.outage, simulator: () => ({ latencyMs: 100 }) });
    const jobId = await startJob(fleet, SETTING, 'slow-link');
    const slow = system.dispatcher('dispatcher-2');
    await untilSending(slow, jobId);
    const forwardedBefore = slow.proxy.traffic.forwardedBytes;
    slow.proxy.delay(400);
    try {
      await waitForJobEnd(system.api, jobId, 180_000);
    } finally {
      slow.proxy.heal();
    }
    expect(slow.proxy.traffic.forwardedBytes).toBeGreaterThan(forwardedBefore);
    const outcome = await expectFaultOracle(system.api, system.hub, { jobId, deviceIds: fleet.deviceIds, operation: SETTING });
    expect(outcome).toMatchObject({ status: 'completed', completed: SIZE.outage, unknown: 0 });
    reportFigures('400 ms latency on a dispatcher\'s PostgreSQL link, setting job', { devices: SIZE.outage, completed: outcome.completed, 'applied twice': 0 }, startedAt);
  });
});

describe('the Kafka broker of this test crashed (kill -9) and restarted mid fan-out', () => {
  it('setting job: targets published around the restart all arrive once; every device ends once, none patched twice', async () => {
    const startedAt = Date.now();
    const devices = SIZE.settingKill;
    const fleet = await createFleet(system.api, system.hub, { label: 'kafka-restart', count: devices });
    const jobId = await startJob(fleet, SETTING, 'kafka-restart');
    const downAt = Date.now();
    await system.kafka.kill();
    const [known] = await system.query<{ targets: string; complete: boolean | null }>(
      'dispatcher',
      `SELECT (SELECT count(*) FROM dispatcher.operations WHERE job_id = $1) AS targets,
              (SELECT targets_complete FROM dispatcher.jobs WHERE job_id = $1) AS complete`,
      [jobId],
    );
    await system.kafka.start();
    const downMs = Date.now() - downAt;
    // The broker went down before the dispatchers had the whole job.
    expect(known.complete === true && Number(known.targets) === devices).toBe(false);
    await waitForJobEnd(system.api, jobId, 240_000);
    const outcome = await expectFaultOracle(system.api, system.hub, { jobId, deviceIds: fleet.deviceIds, operation: SETTING });
    expect(outcome).toMatchObject({ status: 'completed', completed: devices, unknown: 0 });
    reportFigures('Kafka killed and restarted mid fan-out, setting job', {
      devices,
      'targets known when the broker died': Number(known.targets),
      'broker down ms': downMs,
      completed: outcome.completed,
      'patched twice': 0,
    }, startedAt);
  });
});

describe('the outbox relay killed (kill -9 device-set) while it publishes a job\'s targets', () => {
  it('setting job: what was published and not yet deleted goes out again, consumers drop it; every device ends once', async () => {
    const startedAt = Date.now();
    const devices = SIZE.settingKill;
    const fleet = await createFleet(system.api, system.hub, { label: 'relay-kill', count: devices });
    const targetsKnown = async () => Number((await system.query<{ n: string }>('dispatcher', 'SELECT count(*) AS n FROM dispatcher.operations WHERE job_id = $1', [jobId]))[0].n);
    // One connection polling device-set's outbox as fast as it answers locks the first of the
    // job's target events it finds there: the relay reads and publishes them but cannot delete
    // them, so the kill lands while they are published and not yet deleted, however fast the
    // relay runs on the machine.
    const outbox = new Client({ connectionString: system.postgres.url('fleetjobs_faults_device_set') });
    await outbox.connect();
    const rowsOfJob = async () => Number((await outbox.query(`SELECT count(*) AS n FROM device_set.outbox WHERE value LIKE '%' || $1 || '%'`, [jobId])).rows[0].n);
    const lockRowsOfJob = async () => {
      await outbox.query('BEGIN');
      const locked = await outbox.query(`SELECT id FROM device_set.outbox WHERE value LIKE '%' || $1 || '%' FOR UPDATE`, [jobId]);
      if ((locked.rowCount ?? 0) > 0) return true;
      await outbox.query('ROLLBACK');
      return false;
    };
    const deviceSetSessions = `FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'fleetjobs' AND pid <> pg_backend_pid()`;
    const openSessions = async () => {
      // Activity is read once per transaction unless asked afresh.
      await outbox.query('SELECT pg_stat_clear_snapshot()');
      return Number((await outbox.query(`SELECT count(*) AS n ${deviceSetSessions}`)).rows[0].n);
    };
    const jobId = uniqueId('relay-kill');
    let leftInOutbox = 0;
    try {
      const created = await system.api.put(`/api/jobs/${jobId}`, { displayName: 'relay-kill', deviceSet: fleet.deviceSet, operations: [SETTING] });
      expect(created.status).toBe(201);
      await waitUntil(lockRowsOfJob, { timeoutMs: 120_000, intervalMs: 1, what: 'the job\'s targets in device-set\'s outbox' });
      await system.topology.process('device-set').stop('SIGKILL');
      // Its sessions end with it, as a dead process's do: a delete it left waiting on the lock must not run after.
      await outbox.query(`SELECT pg_terminate_backend(pid) ${deviceSetSessions}`);
      await waitUntil(async () => (await openSessions()) === 0, { timeoutMs: 30_000, intervalMs: 10, what: 'device-set\'s sessions ended' });
      leftInOutbox = await rowsOfJob();
      await outbox.query('ROLLBACK');
    } finally {
      await outbox.end();
    }
    const atKill = await targetsKnown();
    expect(leftInOutbox).toBeGreaterThan(0);
    await system.topology.restart('device-set');
    await waitForJobEnd(system.api, jobId, 240_000);
    const outcome = await expectFaultOracle(system.api, system.hub, { jobId, deviceIds: fleet.deviceIds, operation: SETTING });
    expect(outcome).toMatchObject({ status: 'completed', completed: devices, unknown: 0 });
    expect(await targetsKnown()).toBe(devices);
    reportFigures('device-set killed with target events in its outbox, setting job', {
      devices,
      'outbox events left at the kill': leftInOutbox,
      'targets already delivered at the kill': atKill,
      completed: outcome.completed,
      'patched twice': 0,
    }, startedAt);
  });
});

describe('a rebalance storm: dispatchers joining and leaving every few seconds during a job', () => {
  it('setting job: every device ends once, none patched twice', async () => {
    const startedAt = Date.now();
    const devices = SIZE.settingKill;
    // Slow devices keep the job running through several joins and leaves.
    const fleet = await createFleet(system.api, system.hub, { label: 'storm', count: devices, simulator: () => ({ latencyMs: 1500 }) });
    const jobId = await startJob(fleet, SETTING, 'storm');
    let joined = 0;
    let left = 0;
    let crashedWithClaims = 0;
    const ended = async () => ['completed', 'failed', 'stopped'].includes((await system.api.get(`/api/jobs/${jobId}`)).body.status);
    const churn = system.dispatcher('dispatcher-2');
    const stormers: FaultDispatcher[] = [];
    await untilSending(churn, jobId);
    while (!(await ended()) && joined < 6) {
      // Leave: alternately a crash and a clean stop, of the oldest one running besides dispatcher-1.
      const leaving = [churn, ...stormers].find((dispatcher) => dispatcher.process.running);
      if (leaving) {
        const crash = left % 2 === 0;
        await leaving.process.stop(crash ? 'SIGKILL' : 'SIGTERM');
        if (crash && (await system.inFlightOf(leaving.workerId)).some((claim) => claim.job_id === jobId)) crashedWithClaims += 1;
        left += 1;
      }
      stormers.push(await system.startDispatcher(`storm-${joined + 1}`));
      joined += 1;
    }
    await waitForJobEnd(system.api, jobId, 240_000);
    expect(left).toBeGreaterThanOrEqual(2);
    expect(crashedWithClaims).toBeGreaterThan(0);
    const outcome = await expectFaultOracle(system.api, system.hub, { jobId, deviceIds: fleet.deviceIds, operation: SETTING });
    expect(outcome).toMatchObject({ status: 'completed', completed: devices, unknown: 0 });
    for (const stormer of stormers) await stormer.process.stop();
    if (!churn.process.running) await system.restartDispatcher(churn.name);
    reportFigures('rebalance storm, setting job', { devices, joined, left, 'crashed holding claims': crashedWithClaims, completed: outcome.completed, 'patched twice': 0 }, startedAt);
  });
});
