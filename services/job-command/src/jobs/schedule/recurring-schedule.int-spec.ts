import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { ALL_TOPICS } from '@fleetjobs/contracts';
import { configureHttpApp } from '@fleetjobs/http-kit';
import { SqlEventLog } from '@fleetjobs/messaging';
import { openPostgres } from '@fleetjobs/persistence-pg';
import { InfraModule, ServiceEndpoints } from '@fleetjobs/runtime';
import { testPostgresUrl } from '@fleetjobs/testing';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { JobCommandModule } from '../../job-command.module';
import { jobCommandMigrations } from '../../job-command.migrations';
import { JOB_COMMAND_SCHEMA } from '../../job-command.schema';
import { NO_OVERLAPS } from '../../testing/job-command-kafka.harness';
import { JOB_PREVIEW_SOURCES } from '../preview/job-preview-sources.port';
import { decide } from '../job.decider';
import { JobStreamExecutor } from '../job-stream.executor';
import { DueStartsPoller } from './due-starts.poller';

const HOUR = 3_600_000;
/** The next whole hour after `time`. */
const nextHour = (time: number) => Math.floor(time / HOUR) * HOUR + HOUR;

const aSchedule = (recurrence: Record<string, unknown>) => ({
  displayName: 'Hourly fan speed',
  deviceSet: 'seattle-vms',
  operations: [{ type: 'setting', name: 'fanSpeed', value: 5 }],
  schedule: { recurrence, windows: [{ start: '00:00', end: '23:59', timeZone: 'UTC' }] },
});

/**
 * Recurring schedules on real PostgreSQL, job-command run as several processes on one database:
 * a run's start creates the next run in the same transaction, once however many processes poll,
 * the count ends the schedule, and pause, resume and delete act on the pending run.
 */
describe('recurring schedules across processes', () => {
  const database = `fleetjobs_test_schedules_${randomBytes(5).toString('hex')}`;
  const dataSources: DataSource[] = [];
  const apps: INestApplication[] = [];
  let deviceSet: Server;
  let endpoints: ServiceEndpoints;

  async function aProcess(): Promise<{ app: INestApplication; poller: DueStartsPoller; base: string }> {
    const dataSource = await openPostgres({ url: testPostgresUrl(database), migrations: jobCommandMigrations });
    dataSources.push(dataSource);
    const eventLog = new SqlEventLog({ dataSource, pollIntervalMs: 20, maxBackoffMs: 500 });
    await eventLog.init();
    await eventLog.ensureTopics(ALL_TOPICS, 2);
    const moduleRef = await Test.createTestingModule({ imports: [InfraModule.forRoot({ dataSource, eventLog, endpoints }), JobCommandModule] })
      .overrideProvider(JOB_PREVIEW_SOURCES)
      .useValue(NO_OVERLAPS)
      .compile();
    const app = moduleRef.createNestApplication({ bodyParser: false, logger: ['error'] });
    configureHttpApp(app);
    await app.listen(0, '127.0.0.1');
    apps.push(app);
    return { app, poller: app.get(DueStartsPoller), base: (await app.getUrl()).replace('[::1]', '127.0.0.1') };
  }

  const count = async (streamId: string, type: string) =>
    (await dataSources[0].query(`SELECT count(*)::int AS n FROM ${JOB_COMMAND_SCHEMA}.events WHERE stream_id = $1 AND type = $2`, [streamId, type]))[0].n as number;
  const waits = async (jobId: string) =>
    ((await dataSources[0].query(`SELECT waits_for FROM ${JOB_COMMAND_SCHEMA}.job_waits WHERE job_id = $1`, [jobId])) as { waits_for: string }[]).map((row) => row.waits_for);
  const json = async (url: string, init?: RequestInit) => {
    const response = await fetch(url, init);
    return { status: response.status, body: response.status === 204 ? null : await response.json(), location: response.headers.get('location') };
  };
  const put = (base: string, id: string, body: unknown) =>
    json(`${base}/api/jobs/${id}`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

  beforeAll(async () => {
    deviceSet = createServer((request, response) => {
      request.resume().once('end', () => {
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ template: 'vending-machine' }));
      });
    });
    deviceSet.listen(0, '127.0.0.1');
    await once(deviceSet, 'listening');
    endpoints = { deviceSet: `http://127.0.0.1:${(deviceSet.address() as AddressInfo).port}`, dispatcher: '', jobCommand: '', projection: '' };
  });

  afterAll(async () => {
    for (const app of apps) await app.close().catch(() => undefined);
    for (const dataSource of dataSources) if (dataSource.isInitialized) await dataSource.destroy();
    deviceSet?.closeAllConnections();
    await new Promise((resolve) => deviceSet?.close(resolve));
    const admin = new Client({ connectionString: testPostgresUrl() });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    await admin.end();
  });

  it('each run’s start creates the next run once, however many processes poll, until the count ends the schedule', async () => {
    const first = await aProcess();
    const created = await put(first.base, 'hourly', aSchedule({ cron: '0 * * * *', count: 2 }));
    const run1At = nextHour(Date.now());
    expect(created.status).toBe(201);
    expect(created.location).toBe('/api/schedules/hourly');
    expect(created.body).toMatchObject({ id: 'hourly.run-1', status: 'pending', scheduleId: 'hourly', scheduleRun: 1, nextStartAt: new Date(run1At).toISOString() });
    // The same request again: the same run 1, nothing new.
    expect(await put(first.base, 'hourly', aSchedule({ cron: '0 * * * *', count: 2 }))).toMatchObject({ status: 200, body: { id: 'hourly.run-1' } });
    expect((await put(first.base, 'hourly', aSchedule({ cron: '30 * * * *', count: 2 }))).status).toBe(409);
    // The schedule's id and its runs' ids are its own: no other job takes them.
    const aJob = { ...aSchedule({ cron: '0 * * * *' }), schedule: { windows: [{ start: '00:00', end: '23:59', timeZone: 'UTC' }] } };
    for (const id of ['hourly', 'hourly.run-7']) expect(await put(first.base, id, aJob)).toMatchObject({ status: 409, body: { errors: [{ field: 'id' }] } });
    expect((await json(`${first.base}/api/schedules/hourly`)).body).toMatchObject({
      id: 'hourly',
      status: 'active',
      runs: 1,
      nextRunId: 'hourly.run-1',
      nextRunAt: new Date(run1At).toISOString(),
      lastRunId: null,
      recurrence: { cron: '0 * * * *', count: 2 },
      job: { deviceSet: 'seattle-vms', operations: [{ type: 'setting', name: 'fanSpeed', value: 5 }], windows: [{ start: '00:00', end: '23:59', timeZone: 'UTC' }] },
    });
    await first.app.close();

    const [second, third] = [await aProcess(), await aProcess()];
    const due1 = new Date(run1At + 1);
    const started = await Promise.all([second.poller.startDue(due1), third.poller.startDue(due1), second.poller.startDue(due1), third.poller.startDue(due1)]);
    expect(started.reduce((sum, n) => sum + n, 0)).toBe(1);
    expect(await count('hourly.run-1', 'JobStartReached')).toBe(1);
    expect(await count('hourly.run-2', 'JobCreated')).toBe(1);
    expect(await count('schedules/hourly', 'ScheduleRunCreated')).toBe(2);
    const run2 = (await json(`${second.base}/internal/jobs/hourly.run-2`)).body;
    expect(run2).toMatchObject({ status: 'pending', scheduleId: 'hourly', scheduleRun: 2, nextStartAt: new Date(run1At + HOUR).toISOString(), schedule: { windows: [{ start: '00:00' }] } });
    // Run 2 waits for run 1 to end: two runs of a schedule never overlap.
    expect(await waits('hourly.run-2')).toEqual(['hourly.run-1']);
    expect((await json(`${third.base}/api/schedules/hourly`)).body).toMatchObject({ status: 'active', runs: 2, nextRunId: 'hourly.run-2', lastRunId: 'hourly.run-1' });

    const due2 = new Date(run1At + HOUR + 1);
    await Promise.all([second.poller.startDue(due2), third.poller.startDue(due2)]);
    expect(await count('hourly.run-2', 'JobStartReached')).toBe(1);
    expect(await count('hourly.run-3', 'JobCreated')).toBe(0);
    expect(await count('schedules/hourly', 'ScheduleEnded')).toBe(1);
    expect((await json(`${third.base}/api/schedules/hourly`)).body).toMatchObject({ status: 'ended', runs: 2, nextRunId: null, nextRunAt: null, lastRunId: 'hourly.run-2' });
  });

  it('pause stops the pending run and creates none until resumed; delete stops it and the schedule is gone', async () => {
    const process = await aProcess();
    expect((await put(process.base, 'paused', aSchedule({ cron: '0 * * * *' }))).status).toBe(201);
    const paused = await json(`${process.base}/api/schedules/paused/pause`, { method: 'POST' });
    expect(paused).toMatchObject({ status: 200, body: { status: 'paused', nextRunId: null, nextRunAt: null, runs: 1 } });
    expect((await json(`${process.base}/internal/jobs/paused.run-1`)).body).toMatchObject({ status: 'stopped' });
    expect(await count('paused.run-1', 'JobSettled')).toBe(1);
    expect((await json(`${process.base}/api/schedules/paused/pause`, { method: 'POST' })).status).toBe(200);

    // Its start passes while paused: nothing starts, nothing is created.
    expect(await process.poller.startDue(new Date(nextHour(Date.now()) + 1))).toBe(0);
    expect(await count('paused.run-2', 'JobCreated')).toBe(0);

    const resumed = await json(`${process.base}/api/schedules/paused/resume`, { method: 'POST' });
    expect(resumed).toMatchObject({ status: 200, body: { status: 'active', runs: 2, nextRunId: 'paused.run-2', nextRunAt: new Date(nextHour(Date.now())).toISOString() } });
    expect((await json(`${process.base}/internal/jobs/paused.run-2`)).body).toMatchObject({ status: 'pending', scheduleRun: 2 });

    expect((await json(`${process.base}/api/schedules/paused`, { method: 'DELETE' })).status).toBe(204);
    expect((await json(`${process.base}/api/schedules/paused`)).status).toBe(404);
    expect((await json(`${process.base}/api/schedules/paused`, { method: 'DELETE' })).status).toBe(404);
    expect((await json(`${process.base}/api/schedules/paused/resume`, { method: 'POST' })).status).toBe(404);
    expect((await json(`${process.base}/internal/jobs/paused.run-2`)).body).toMatchObject({ status: 'stopped' });
    expect(await process.poller.startDue(new Date(nextHour(Date.now()) + 1))).toBe(0);
    expect(await count('paused.run-3', 'JobCreated')).toBe(0);
    expect((await json(`${process.base}/api/schedules/unknown/pause`, { method: 'POST' })).status).toBe(404);
  });

  it('a run’s start and the next run commit together: when the next run cannot be created, the start is not recorded either', async () => {
    const process = await aProcess();
    expect((await put(process.base, 'atomic', aSchedule({ cron: '0 * * * *' }))).status).toBe(201);
    // A job under run 2's id with another definition, written past the API's checks, makes creating run 2 fail.
    await process.app.get(JobStreamExecutor).execute('atomic.run-2', (state) =>
      decide({ type: 'CreateJob', jobId: 'atomic.run-2', definition: { displayName: 'In the way', description: '', deviceSet: 'seattle-vms', devices: null, operations: [{ type: 'setting', name: 'fanSpeed', value: 1 }] }, template: 'vending-machine', now: new Date().toISOString() }, state),
    );
    await expect(process.poller.startDue(new Date(nextHour(Date.now()) + 1))).resolves.toBe(0);
    expect(await count('atomic.run-1', 'JobStartReached')).toBe(0);
    expect(await count('schedules/atomic', 'ScheduleRunCreated')).toBe(1);
    expect((await dataSources[0].query(`SELECT job_id FROM ${JOB_COMMAND_SCHEMA}.due_starts WHERE job_id = 'atomic.run-1'`)).length).toBe(1);
  });

  it('a pause meeting the pending run’s start leaves one consistent outcome: no run left pending while paused', async () => {
    const process = await aProcess();
    const ids = ['race-1', 'race-2', 'race-3', 'race-4', 'race-5'];
    for (const id of ids) expect((await put(process.base, id, aSchedule({ cron: '0 * * * *' }))).status).toBe(201);
    const due = new Date(nextHour(Date.now()) + 1);
    const [pauses] = await Promise.all([
      Promise.all(ids.map((id) => json(`${process.base}/api/schedules/${id}/pause`, { method: 'POST' }))),
      process.poller.startDue(due),
      process.poller.startDue(due),
    ]);
    expect(pauses.map((pause) => pause.status)).toEqual(ids.map(() => 200));
    // Starts a deadlock rolled back are taken again by the next round.
    await process.poller.startDue(due);
    for (const id of ids) {
      const schedule = (await json(`${process.base}/api/schedules/${id}`)).body;
      expect(schedule).toMatchObject({ status: 'paused', nextRunId: null });
      // Whichever came first, the run the schedule created last was stopped with the pause before its start.
      const last = (await json(`${process.base}/internal/jobs/${id}.run-${schedule.runs}`)).body;
      expect(last).toMatchObject({ status: 'stopped', nextStartAt: null });
      expect(await count(`${id}.run-${schedule.runs}`, 'JobStartReached')).toBe(0);
      expect(await count(`${id}.run-${schedule.runs + 1}`, 'JobCreated')).toBe(0);
    }
  });

  it('lists schedules newest first, page by page', async () => {
    const process = await aProcess();
    for (const id of ['list-a', 'list-b', 'list-c']) expect((await put(process.base, id, aSchedule({ cron: '0 3 * * *' }))).status).toBe(201);
    const firstPage = (await json(`${process.base}/api/schedules?limit=2`)).body;
    expect(firstPage.value.map((schedule: { id: string }) => schedule.id)).toEqual(['list-c', 'list-b']);
    const secondPage = (await json(`${process.base}/api/schedules?limit=2&cursor=${firstPage.nextCursor}`)).body;
    expect(secondPage.value.map((schedule: { id: string }) => schedule.id)[0]).toBe('list-a');
    for (const cursor of [Buffer.from(JSON.stringify(['+275760-09-13T00:00:00.001Z', 'x'])).toString('base64url'), Buffer.from(JSON.stringify([0, 'x'])).toString('base64url'), 'nonsense']) {
      const refused = await json(`${process.base}/api/schedules?cursor=${cursor}`);
      expect(refused.status).toBe(400);
      expect(refused.body.errors).toEqual([expect.objectContaining({ field: 'cursor' })]);
    }
  });

  it('a bad recurrence answers 400 naming its field, and nothing is created', async () => {
    const process = await aProcess();
    const problems = async (recurrence: Record<string, unknown>, id = 'bad') => {
      const answer = await put(process.base, id, aSchedule(recurrence));
      expect(answer.status).toBe(400);
      return (answer.body.errors as { field: string }[]).map((error) => error.field);
    };
    expect(await problems({ cron: 'every day' })).toContain('schedule.recurrence.cron');
    expect(await problems({ cron: '0 * * * *', timeZone: 'Mars/Olympus' })).toContain('schedule.recurrence.timeZone');
    expect(await problems({ cron: '0 * * * *', endAt: '2020-01-01T00:00:00Z' })).toContain('schedule.recurrence.endAt');
    expect(await problems({ cron: '0 * * * *', count: 0 })).toContain('schedule.recurrence.count');
    expect(await problems({ cron: '0 * * * *', count: 2, endAt: '2099-01-01T00:00:00Z' })).toContain('schedule.recurrence.count');
    expect(await problems({ cron: '0 * * * *' }, 'x'.repeat(115))).toEqual(['id']);
    expect((await json(`${process.base}/api/schedules/bad`)).status).toBe(404);
  });
});
