import { randomBytes } from 'node:crypto';
import { openPostgres } from '@fleetjobs/persistence-pg';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { testPostgresUrl } from '@fleetjobs/testing';
import { dispatcherMigrations } from '../dispatcher.migrations';
import { workKey } from '../work/dispatch-events';
import { PreviousValuesRepository, RecordedPrevious } from './previous-values.repository';

const SERVER_URL = testPostgresUrl();
const location = (value: unknown) => ({ kind: 'property', name: 'location', previous: { present: true as const, value } });
const record = (repository: PreviousValuesRepository, workerId: string, jobId: string, deviceId: string, value: RecordedPrevious, replace: boolean) =>
  repository.markSent(workerId, [{ jobId, deviceId, keep: [value], replace }]).then((held) => held.size === 1);

describe('the values operations replaced, on PostgreSQL', () => {
  const name = `fleetjobs_test_previous_values_${randomBytes(5).toString('hex')}`;
  let database: DataSource;
  let repository: PreviousValuesRepository;

  beforeAll(async () => {
    const url = new URL(SERVER_URL);
    url.pathname = `/${name}`;
    database = await openPostgres({ url: url.toString(), migrations: dispatcherMigrations });
    repository = new PreviousValuesRepository(database);
  });

  afterAll(async () => {
    await database?.destroy();
    const admin = new Client({ connectionString: SERVER_URL });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.end();
  });

  /** The device claimed by the worker; `sent`: a request that may change it has gone out (its send mark). */
  const claim = (jobId: string, deviceId: string, workerId: string, sent = true) =>
    database.query(
      `INSERT INTO dispatcher.operations (job_id, device_id, status, worker_id, sent_at) VALUES ($1, $2, 'in_flight', $3, CASE WHEN $4 THEN now() END)
       ON CONFLICT (job_id, device_id) DO UPDATE SET status = 'in_flight', worker_id = $3, sent_at = EXCLUDED.sent_at`,
      [jobId, deviceId, workerId, sent],
    );

  it('keeps a value of any JSON kind, and that a value was absent', async () => {
    await claim('job-a', 'vm-1', 'w1');
    expect(await record(repository, 'w1', 'job-a', 'vm-1', location({ city: 'Seattle', floor: 2 }), true)).toBe(true);
    expect(await record(repository, 'w1', 'job-a', 'vm-1', { kind: 'setting', name: 'fanSpeed', previous: { present: false } }, true)).toBe(true);
    expect(await repository.recordedOn('job-a', 'vm-1')).toEqual(
      expect.arrayContaining([location({ city: 'Seattle', floor: 2 }), { kind: 'setting', name: 'fanSpeed', previous: { present: false } }]),
    );
    await claim('job-a', 'vm-2', 'w1');
    await record(repository, 'w1', 'job-a', 'vm-2', location('Berlin'), true);
    expect(await repository.recordedOn('job-a', 'vm-2')).toEqual([location('Berlin')]);
  });

  it('replaces a value only when no earlier attempt can have sent anything', async () => {
    await claim('job-b', 'vm-1', 'w1');
    await record(repository, 'w1', 'job-b', 'vm-1', location('Seattle'), true);
    // A re-drive reads the twin the earlier attempt may have written: the first value stays.
    await record(repository, 'w1', 'job-b', 'vm-1', location('Portland'), false);
    expect(await repository.recordedOn('job-b', 'vm-1')).toEqual([location('Seattle')]);
    await record(repository, 'w1', 'job-b', 'vm-1', location('Tacoma'), true);
    expect(await repository.recordedOn('job-b', 'vm-1')).toEqual([location('Tacoma')]);
  });

  it('does not answer values kept for a device to which nothing was sent in the end', async () => {
    await claim('job-e', 'vm-1', 'w1', false);
    await record(repository, 'w1', 'job-e', 'vm-1', location('Seattle'), true);
    expect(await repository.recordedOn('job-e', 'vm-1')).toEqual([location('Seattle')]);
    // Handed back before the request left (its job paused at the permit): the mark is cleared.
    await database.query(`UPDATE dispatcher.operations SET sent_at = NULL WHERE job_id = 'job-e'`);
    expect(await repository.recordedOn('job-e', 'vm-1')).toEqual([]);
  });

  it('keeps nothing, and marks nothing, for a worker that no longer holds the claim', async () => {
    await claim('job-c', 'vm-1', 'w2', false);
    expect(await record(repository, 'w1', 'job-c', 'vm-1', location('Seattle'), true)).toBe(false);
    expect(await repository.recordedOn('job-c', 'vm-1')).toEqual([]);
    const [row] = await database.query(`SELECT sent_at FROM dispatcher.operations WHERE job_id = 'job-c'`);
    expect(row.sent_at).toBeNull();
  });

  it("marks many devices sent and keeps their values in one statement, only those this worker holds", async () => {
    await claim('job-d', 'vm-1', 'w1', false);
    await claim('job-d', 'vm-2', 'w2', false);
    await claim('job-d', 'vm-3', 'w1', false);
    await claim('job-d', 'vm-4', 'w1', false);
    const held = await repository.markSent('w1', [
      ...['vm-1', 'vm-2', 'vm-3'].map((deviceId) => ({ jobId: 'job-d', deviceId, keep: [location(deviceId)] })),
      // A device whose write replaces nothing to keep (a command) is only marked.
      { jobId: 'job-d', deviceId: 'vm-4' },
    ]);
    expect([...held].sort()).toEqual(['vm-1', 'vm-3', 'vm-4'].map((deviceId) => workKey('job-d', deviceId)));
    expect(await repository.recordedOn('job-d', 'vm-3')).toEqual([location('vm-3')]);
    expect(await repository.recordedOn('job-d', 'vm-2')).toEqual([]);
    const sent = await database.query(`SELECT device_id FROM dispatcher.operations WHERE job_id = 'job-d' AND sent_at IS NOT NULL ORDER BY device_id`);
    expect(sent.map((row: { device_id: string }) => row.device_id)).toEqual(['vm-1', 'vm-3', 'vm-4']);
  });

  it('knows which job a job reverts, registered once', async () => {
    await repository.registerRevert(database.manager, 'undo-a', 'job-a');
    await repository.registerRevert(database.manager, 'undo-a', 'job-a');
    expect(await repository.revertOf('undo-a')).toBe('job-a');
    expect(await repository.revertOf('job-a')).toBeNull();
  });
});
