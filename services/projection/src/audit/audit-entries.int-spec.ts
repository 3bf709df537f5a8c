import { Actor, EventEnvelope, TOPICS } from '@fleetjobs/contracts';
import { AccessEventsConsumer } from '../access/access-events.consumer';
import { DeletedDevicesHandler } from '../devices/deleted-devices.handler';
import { DeviceEventsConsumer } from '../devices/device-events.consumer';
import { JobBatchHandler } from '../jobs/job-batch.handler';
import { JobChangeNotifier } from '../jobs/job-change.notifier';
import { JobEventsConsumer } from '../jobs/job-events.consumer';
import {
  aDeviceDeleted,
  aDeviceRegistered,
  aDeviceSucceeded,
  aJobCreated,
  aJobStarted,
  aJobStopped,
  aJobTargetsResolved,
  asConsumed,
  asDeviceMessages,
  asJobMessages,
} from '../testing/job-event.builders';
import { createProjectionTestDb, ProjectionTestDb } from '../testing/projection-test-db';
import { AuditEntriesHandler } from './audit-entries.handler';

const ada: Actor = { id: 'user:ada', name: 'Ada Operator', role: 'operator', address: '10.0.0.7' };
const ci: Actor = { id: 'token:ci', name: 'ci', role: 'builder' };
const by = <E extends EventEnvelope>(event: E, actor: Actor): E => ({ ...event, actor });

describe('audit entries against PostgreSQL', () => {
  let db: ProjectionTestDb;
  let jobs: JobEventsConsumer;
  let devices: DeviceEventsConsumer;

  beforeAll(async () => {
    db = await createProjectionTestDb();
    jobs = new JobEventsConsumer(new JobBatchHandler(db.dataSource, new JobChangeNotifier()), db.dataSource);
    devices = new DeviceEventsConsumer(new DeletedDevicesHandler(db.dataSource), db.dataSource, new AuditEntriesHandler(db.dataSource));
  });
  afterAll(() => db.drop());

  const entries = (subject: string) =>
    db.dataSource.query(
      `SELECT event_id, time, actor_id, actor, action, subject, summary, xmin::text AS version
         FROM projection.audit_entries WHERE subject = $1 ORDER BY time, event_id`,
      [subject],
    );
  const jobRow = async (id: string) =>
    (await db.dataSource.query(`SELECT created_by, stopped_by, xmin::text AS version FROM projection.jobs WHERE id = $1`, [id]))[0];

  it('a first delivery of the jobs topic records its commands with the job rows; the same batch twice changes nothing', async () => {
    const created = by(aJobCreated('audited', { displayName: 'Fan up', devices: ['vm-1', 'vm-2'] }), ada);
    const stopped = by(aJobStopped('audited'), ci);
    const batch = [created, aJobTargetsResolved('audited', ['vm-1', 'vm-2']), aJobStarted('audited', 2), aDeviceSucceeded('audited', 'vm-1'), stopped];
    await jobs.onJobEvents(asJobMessages(batch));

    const first = await entries('audited');
    expect(first).toEqual([
      {
        event_id: created.id,
        time: new Date('2026-03-01T10:00:00.000Z'),
        actor_id: 'user:ada',
        actor: ada,
        action: 'JobCreated',
        subject: 'audited',
        summary: { displayName: 'Fan up', deviceSet: 'seattle-vms', deviceCount: 2, operationCount: 1, operations: [{ type: 'setting', name: 'fanSpeed' }] },
        version: expect.any(String),
      },
      {
        event_id: stopped.id,
        time: new Date('2026-03-01T10:05:00.000Z'),
        actor_id: 'token:ci',
        actor: ci,
        action: 'JobStopped',
        subject: 'audited',
        summary: {},
        version: expect.any(String),
      },
    ]);
    const job = await jobRow('audited');
    expect(job).toMatchObject({ created_by: { id: 'user:ada', name: 'Ada Operator' }, stopped_by: { id: 'token:ci', name: 'ci' } });

    await jobs.onJobEvents(asJobMessages(batch));
    expect(await entries('audited')).toEqual(first);
    expect(await jobRow('audited')).toEqual(job);
  });

  it('a batch of a schedule\'s commands alone is recorded under the schedule\'s id, once however often delivered', async () => {
    const schedule = (type: string, data: Record<string, unknown>, minute: number, actor: Actor): EventEnvelope => ({
      id: `${type}-nightly`,
      type,
      version: 1,
      source: '/fleetjobs/job-command',
      subject: 'schedules/nightly',
      time: `2026-03-01T15:0${minute}:00.000Z`,
      actor,
      data: { scheduleId: 'nightly', ...data },
    });
    const batch = asJobMessages([
      schedule(
        'ScheduleCreated',
        {
          displayName: 'Nightly',
          deviceSet: 'seattle-vms',
          devices: null,
          operations: [{ type: 'setting', name: 'fanSpeed', value: 1 }],
          template: 'vending-machine',
          recurrence: { cron: '0 2 * * *', timeZone: 'Europe/Berlin' },
          createdAt: '2026-03-01T15:01:00.000Z',
        },
        1,
        ada,
      ),
      schedule('SchedulePaused', { pausedAt: '2026-03-01T15:02:00.000Z' }, 2, ci),
      schedule('ScheduleResumed', { resumedAt: '2026-03-01T15:03:00.000Z' }, 3, ci),
      schedule('ScheduleDeleted', { deletedAt: '2026-03-01T15:04:00.000Z' }, 4, ada),
    ]);
    await jobs.onJobEvents(batch);
    const first = await entries('nightly');
    expect(first.map((e: { action: string; actor_id: string; summary: unknown }) => [e.action, e.actor_id, e.summary])).toEqual([
      [
        'ScheduleCreated',
        'user:ada',
        { displayName: 'Nightly', deviceSet: 'seattle-vms', deviceCount: null, operationCount: 1, operations: [{ type: 'setting', name: 'fanSpeed' }], cron: '0 2 * * *', timeZone: 'Europe/Berlin' },
      ],
      ['SchedulePaused', 'token:ci', {}],
      ['ScheduleResumed', 'token:ci', {}],
      ['ScheduleDeleted', 'user:ada', {}],
    ]);
    await jobs.onJobEvents(batch);
    expect(await entries('nightly')).toEqual(first);
  });

  it('events without actor record nothing', async () => {
    await jobs.onJobEvents(asJobMessages([aJobCreated('quiet'), aJobStarted('quiet', 1), aDeviceSucceeded('quiet', 'vm-1'), aJobStopped('quiet')]));
    await devices.onDeviceEvents(asDeviceMessages([aDeviceRegistered('quiet', '2026-03-01T11:00:00.000Z')]));
    expect(await entries('quiet')).toEqual([]);
    expect(await jobRow('quiet')).toMatchObject({ created_by: null, stopped_by: null });
  });

  it('the devices topic records its commands once, however often delivered', async () => {
    const registered = by(aDeviceRegistered('vm-9', '2026-03-01T11:00:00.000Z'), ci);
    const deleted = by(aDeviceDeleted('vm-9', '2026-03-01T12:00:00.000Z'), ada);
    const batch = asDeviceMessages([registered, deleted]);
    await devices.onDeviceEvents(batch);
    const first = await entries('vm-9');
    expect(first.map((e: { action: string; actor_id: string; summary: unknown }) => [e.action, e.actor_id, e.summary])).toEqual([
      ['DeviceRegistered', 'token:ci', { displayName: 'Device vm-9', template: 'vending-machine', origin: 'api' }],
      ['DeviceDeleted', 'user:ada', {}],
    ]);
    await devices.onDeviceEvents(batch);
    expect(await entries('vm-9')).toEqual(first);
  });

  it('the access topic records tokens created and revoked once, however often delivered', async () => {
    const access = new AccessEventsConsumer(new AuditEntriesHandler(db.dataSource), db.dataSource);
    const token = (type: string, data: Record<string, unknown>, minute: number): EventEnvelope => ({
      id: `${type}-tk1`,
      type,
      version: 1,
      source: '/fleetjobs/job-command',
      subject: 'tk1',
      time: `2026-03-01T14:0${minute}:00.000Z`,
      actor: { id: 'token:bootstrap', name: 'bootstrap', role: 'administrator', address: '127.0.0.1' },
      data,
    });
    const batch = asConsumed(TOPICS.access, [
      token('TokenCreated', { tokenId: 'tk1', name: 'ci', role: 'builder', expiresAt: '2027-01-01T00:00:00.000Z' }, 1),
      token('TokenRevoked', { tokenId: 'tk1' }, 2),
    ]);
    await access.onAccessEvents(batch);
    const first = await entries('tk1');
    expect(first.map((e: { action: string; actor_id: string; summary: unknown }) => [e.action, e.actor_id, e.summary])).toEqual([
      ['TokenCreated', 'token:bootstrap', { name: 'ci', role: 'builder', expiresAt: '2027-01-01T00:00:00.000Z' }],
      ['TokenRevoked', 'token:bootstrap', {}],
    ]);
    await access.onAccessEvents(batch);
    expect(await entries('tk1')).toEqual(first);
  });

  it('a big import is recorded in full', async () => {
    const many = Array.from({ length: 2500 }, (_, i) => by(aDeviceRegistered(`imp-${i}`, '2026-03-01T13:00:00.000Z'), ci));
    await devices.onDeviceEvents(asDeviceMessages(many));
    const [{ count }] = await db.dataSource.query(`SELECT count(*)::int AS count FROM projection.audit_entries WHERE subject LIKE 'imp-%'`);
    expect(count).toBe(2500);
  });
});
