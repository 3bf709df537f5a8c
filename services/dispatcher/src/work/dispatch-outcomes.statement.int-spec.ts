import { randomBytes } from 'node:crypto';
import { EventEnvelope, fromWireMessage, WireMessage } from '@fleetjobs/contracts';
import { openPostgres, PgUnitOfWork, queryRows } from '@fleetjobs/persistence-pg';
import { countingStatements, testPostgresUrl } from '@fleetjobs/testing';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { dispatcherMigrations } from '../dispatcher.migrations';
import { DISPATCHER_SCHEMA as S } from '../dispatcher.schema';
import { DeviceOutcome } from './dispatch-events';
import { DispatchClaimRepository } from './dispatch-claim.repository';
import { DispatchIntakeRepository } from './dispatch-intake.repository';
import { DispatchOutcomesRepository } from './dispatch-outcomes.repository';

const SERVER_URL = testPostgresUrl();
const REBOOT = [{ type: 'command' as const, name: 'reboot', value: {} }];

describe('outcomes of jobs without a rollout, recorded in one statement, on PostgreSQL', () => {
  const name = `fleetjobs_test_plain_outcomes_${randomBytes(5).toString('hex')}`;
  let dataSource: DataSource;
  const intake = new DispatchIntakeRepository();
  let claims: DispatchClaimRepository;
  let results: DispatchOutcomesRepository;
  let wakes: number;
  let statements: string[] = [];

  beforeAll(async () => {
    const url = new URL(SERVER_URL);
    url.pathname = `/${name}`;
    dataSource = await openPostgres({ url: url.toString(), migrations: dispatcherMigrations });
    const counted = countingStatements(dataSource);
    statements = counted.statements;
    claims = new DispatchClaimRepository(dataSource);
    results = new DispatchOutcomesRepository(dataSource, new PgUnitOfWork({ dataSource: counted.executor, schema: S, afterPublish: () => (wakes += 1) }));
  });

  afterAll(async () => {
    await dataSource?.destroy();
    const admin = new Client({ connectionString: SERVER_URL });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.end();
  });

  beforeEach(async () => {
    await dataSource.query(`TRUNCATE ${S}.jobs, ${S}.operations, ${S}.outbox`);
    statements.length = 0;
    wakes = 0;
  });

  const published = async (): Promise<EventEnvelope[]> =>
    (await queryRows<WireMessage>(dataSource, `SELECT topic, key, headers, value FROM ${S}.outbox ORDER BY id`)).map((row) => fromWireMessage(row)!);

  async function claimedJob(jobId: string, devices: string[]): Promise<void> {
    await intake.registerJob(dataSource, jobId, REBOOT);
    await intake.addTargets(dataSource, jobId, devices, 0);
    expect(await claims.claim('worker-1', devices.length)).toHaveLength(devices.length);
  }

  it('given held devices, when their outcomes are recorded, then one statement records them and writes the events the transaction writes', async () => {
    await claimedJob('plain', ['d-1', 'd-2']);
    await dataSource.query(`UPDATE ${S}.operations SET attempts = 2 WHERE device_id = 'd-2'`);
    const outcomes: DeviceOutcome[] = [
      { jobId: 'plain', deviceId: 'd-1', ok: true, error: null },
      { jobId: 'plain', deviceId: 'd-2', ok: false, error: 'device d-2 is offline (not connected)' },
    ];

    expect(await results.recordOutcomes('worker-1', outcomes, new Set())).toEqual(['plain']);
    expect(statements).toHaveLength(1);
    expect(wakes).toBe(1);
    const folded = await published();

    // The same outcomes recorded by the transaction (every job looked at) publish the same facts.
    await dataSource.query(`TRUNCATE ${S}.outbox`);
    await dataSource.query(`UPDATE ${S}.operations SET status = 'in_flight', done_at = NULL, error = NULL, failure_kind = NULL`);
    await results.recordOutcomes('worker-1', outcomes);
    const transacted = await published();
    const withoutTimes = (envelopes: EventEnvelope[]) =>
      envelopes.map(({ time: _time, data, ...rest }) => ({ ...rest, data: { ...(data as object), completedAt: undefined, failedAt: undefined } }));
    expect(withoutTimes(folded)).toEqual(withoutTimes(transacted));
    expect(folded.map((envelope) => (envelope.data as { attempts: number }).attempts)).toEqual([1, 3]);
    expect(folded.map((envelope) => envelope.type)).toEqual(['DeviceSucceeded', 'DeviceFailed']);
  });

  it('given a device this worker no longer holds, then its outcome is neither recorded nor published, and nothing wakes the relay', async () => {
    await claimedJob('lost', ['d-1']);
    await dataSource.query(`UPDATE ${S}.operations SET status = 'pending', worker_id = NULL`);

    expect(await results.recordOutcomes('worker-1', [{ jobId: 'lost', deviceId: 'd-1', ok: true, error: null }], new Set())).toEqual([]);
    expect(await published()).toEqual([]);
    expect(wakes).toBe(0);
    const rows = await queryRows<{ status: string }>(dataSource, `SELECT status FROM ${S}.operations WHERE job_id = 'lost'`);
    expect(rows).toEqual([{ status: 'pending' }]);
  });

  it('given the same outcome twice, in one batch or in two, then it is recorded and published once', async () => {
    await claimedJob('twice', ['d-1']);
    const outcome: DeviceOutcome = { jobId: 'twice', deviceId: 'd-1', ok: true, error: null };

    await results.recordOutcomes('worker-1', [outcome, outcome], new Set());
    await results.recordOutcomes('worker-1', [outcome], new Set());

    expect((await published()).map((envelope) => envelope.id)).toEqual(['twice:d-1:outcome']);
  });
});
