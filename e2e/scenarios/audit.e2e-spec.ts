import type { ApiSchema } from '@fleetjobs/contracts';
import { eventually, uniqueId } from '../support/fleetjobs.client';
import { createFleet } from '../support/fleet.fixture';
import { systemUnderTest } from '../support/system-under-test';

const { api, hub } = systemUnderTest();

afterAll(() => hub.close());

type AuditEntry = ApiSchema<'AuditEntry'>;

/** Every audit entry since `from` whose subject is one of `subjects`, as listed (newest first). */
async function auditOf(from: string, subjects: Set<string>): Promise<AuditEntry[]> {
  const entries = await api.all<AuditEntry>(`/api/audit?from=${encodeURIComponent(from)}`, 50);
  return entries.filter((entry) => subjects.has(entry.subject));
}

const key = (entry: { action: string; subject: string }) => `${entry.action} ${entry.subject}`;
const attributed = (entry: { action: string; subject: string }, by: string) => `${key(entry)} by ${by}`;

describe('the audit trail', () => {
  it('records each command sent, once, with who sent it; the job names who created and stopped it', async () => {
    const from = new Date(Date.now() - 1000).toISOString();
    const admin = (await api.get('/api/me')).body;
    expect(admin).toMatchObject({ id: expect.any(String), name: expect.any(String), role: 'administrator' });
    // The administrator makes an operator's token; the operator creates the job, the administrator
    // stops it (before anyone approves it) and revokes the token.
    const issued = await api.post('/api/tokens', { name: 'audit operator', role: 'operator' });
    expect(issued.status).toBe(201);
    const operator = api.as(issued.body.token);
    const operatorActor = (await operator.get('/api/me')).body;
    expect(operatorActor).toEqual({ id: `token:${issued.body.id}`, name: 'audit operator', role: 'operator' });
    // Catalogue commands: a template, a batch of three devices and a set (the fleet), and one more
    // device saved and deleted.
    const fleet = await createFleet(api, hub, { label: 'audit', count: 3, waitForHub: false });
    const extra = `${fleet.prefix}-extra`;
    expect((await api.put(`/api/devices/${extra}`, { displayName: 'Extra', template: fleet.template, tags: {} })).status).toBe(201);
    expect((await api.delete(`/api/devices/${extra}`)).status).toBe(204);
    const jobId = uniqueId('audit-job');
    const created = await operator.put(`/api/jobs/${jobId}`, {
      displayName: 'Audited job',
      deviceSet: fleet.deviceSet,
      operations: [{ type: 'setting', name: 'fanSpeed', value: 3 }],
      approval: { required: true },
    });
    expect(created.status).toBe(201);
    expect((await api.post(`/api/jobs/${jobId}/stop`)).status).toBeLessThan(300);
    expect((await api.delete(`/api/tokens/${issued.body.id}`)).status).toBe(204);

    const sent = [
      { action: 'TokenCreated', subject: issued.body.id, by: admin.id },
      { action: 'DeviceTemplateSaved', subject: fleet.template, by: admin.id },
      ...fleet.deviceIds.map((subject) => ({ action: 'DeviceRegistered', subject, by: admin.id })),
      { action: 'DeviceSetSaved', subject: fleet.deviceSet, by: admin.id },
      { action: 'DeviceRegistered', subject: extra, by: admin.id },
      { action: 'DeviceDeleted', subject: extra, by: admin.id },
      { action: 'JobCreated', subject: jobId, by: operatorActor.id },
      { action: 'JobStopped', subject: jobId, by: admin.id },
      { action: 'TokenRevoked', subject: issued.body.id, by: admin.id },
    ];
    const subjects = new Set(sent.map((command) => command.subject));
    const trail = await eventually(
      () => auditOf(from, subjects),
      (entries) => entries.length >= sent.length,
      60_000,
      'the audit trail of the commands sent',
    );

    // Each command exactly once, by whom it was sent, and nothing else about these entities.
    expect(trail.map((entry) => attributed(entry, entry.actor.id)).sort()).toEqual(sent.map((command) => attributed(command, command.by)).sort());
    expect(new Set(trail.map((entry) => entry.eventId)).size).toBe(trail.length);
    // Newest first, and the order of the commands sent one after another is kept.
    const times = trail.map((entry) => Date.parse(entry.time));
    expect(times).toEqual([...times].sort((a, b) => b - a));
    expect(trail.slice(0, 3).map(key)).toEqual([`TokenRevoked ${issued.body.id}`, `JobStopped ${jobId}`, `JobCreated ${jobId}`]);

    // Each entry names its sender as the API knows them, with the address the request came from.
    const actors = new Map([admin, operatorActor].map((actor) => [actor.id, actor]));
    for (const entry of trail) {
      const { address, ...actor } = entry.actor;
      expect(actor).toEqual(actors.get(actor.id));
      expect(address).toEqual(expect.any(String));
    }
    expect(trail.find((entry) => entry.action === 'TokenCreated')!.summary).toMatchObject({ name: 'audit operator', role: 'operator' });
    const jobCreated = trail.find((entry) => entry.action === 'JobCreated')!;
    expect(jobCreated.summary).toEqual({
      displayName: 'Audited job',
      deviceSet: fleet.deviceSet,
      deviceCount: null,
      operationCount: 1,
      operations: [{ type: 'setting', name: 'fanSpeed' }],
    });

    // The job names its creator and who stopped it, as the audit does.
    const job = await eventually(
      () => api.get(`/api/jobs/${jobId}`),
      (r) => r.status === 200 && r.body.status === 'stopped' && r.body.stoppedBy !== null,
      60_000,
      'the stopped job naming who stopped it',
    );
    expect(job.body).toMatchObject({
      createdBy: { id: operatorActor.id, name: 'audit operator' },
      stoppedBy: { id: admin.id, name: admin.name },
    });

    // The filters narrow the same trail.
    expect((await api.all<AuditEntry>(`/api/audit?subject=${jobId}`)).map(key)).toEqual([`JobStopped ${jobId}`, `JobCreated ${jobId}`]);
    expect((await api.all<AuditEntry>(`/api/audit?actor=${encodeURIComponent(operatorActor.id)}`)).map(key)).toEqual([`JobCreated ${jobId}`]);
    const deletions = await api.all<AuditEntry>(`/api/audit?action=DeviceDeleted&from=${encodeURIComponent(from)}`);
    expect(deletions.filter((entry) => subjects.has(entry.subject)).map(key)).toEqual([`DeviceDeleted ${extra}`]);
  });

  it('records a recurring schedule\'s creation, pause, resume and deletion under the schedule\'s id, each with who sent it', async () => {
    const fleet = await createFleet(api, hub, { label: 'audit-schedule', count: 1, waitForHub: false });
    const scheduleId = uniqueId('audit-schedule');
    const me = (await api.get('/api/me')).body;
    const created = await api.put(`/api/jobs/${scheduleId}`, {
      displayName: 'Nightly audit',
      deviceSet: fleet.deviceSet,
      operations: [{ type: 'setting', name: 'fanSpeed', value: 1 }],
      schedule: { recurrence: { cron: '0 3 * * *', timeZone: 'Europe/Berlin' } },
    });
    expect(created.status).toBe(201);
    for (const step of ['pause', 'resume']) expect((await api.post(`/api/schedules/${scheduleId}/${step}`)).status).toBe(200);
    expect((await api.delete(`/api/schedules/${scheduleId}`)).status).toBe(204);
    const trail = await eventually(
      () => api.all<AuditEntry>(`/api/audit?subject=${scheduleId}`),
      (entries) => entries.length >= 4,
      30_000,
      'the schedule\'s four commands in the audit',
    );
    expect(trail.map((entry) => attributed(entry, entry.actor.id))).toEqual(
      ['ScheduleDeleted', 'ScheduleResumed', 'SchedulePaused', 'ScheduleCreated'].map((action) => `${action} ${scheduleId} by ${me.id}`),
    );
    expect(trail.at(-1)!.summary).toMatchObject({ displayName: 'Nightly audit', deviceSet: fleet.deviceSet, cron: '0 3 * * *', timeZone: 'Europe/Berlin' });
  });

  it('refuses a bad filter with 400 naming it', async () => {
    for (const [query, field] of [
      ['action=Rebooted', 'action'],
      ['from=yesterday', 'from'],
      ['cursor=garbage', 'cursor'],
    ]) {
      const response = await api.get(`/api/audit?${query}`);
      expect({ query, status: response.status }).toEqual({ query, status: 400 });
      expect(response.body.errors.map((error: { field: string }) => error.field)).toContain(field);
    }
  });
});
