import { Actor, EventEnvelope } from '@fleetjobs/contracts';
import {
  aDeviceDeleted,
  aDeviceFailed,
  aDeviceRegistered,
  aDeviceSucceeded,
  aJobCreated,
  aJobPaused,
  aJobResumed,
  aJobStarted,
  aJobStopped,
  aJobTargetsResolved,
} from '../testing/job-event.builders';
import { AUDITED_ACTIONS, auditEntriesOf, auditEntryOf, SUMMARY_OPERATIONS_MAX, SUMMARY_TEXT_MAX } from './audit.projection';

const ada: Actor = { id: 'user:ada', name: 'Ada Operator', role: 'operator', address: '10.0.0.7' };
const by = <E extends EventEnvelope>(event: E, actor: Actor = ada): E => ({ ...event, actor });

const other = (type: string, subject: string, data: Record<string, unknown>): EventEnvelope => ({
  id: `${type}-${subject}`,
  type,
  version: 1,
  source: '/fleetjobs/test',
  subject,
  time: '2026-03-01T11:00:00.000Z',
  data,
});

describe('audit projection', () => {
  describe('each command event makes one entry with its actor, subject and a small summary', () => {
    it.each<[string, EventEnvelope, Record<string, unknown>]>([
      [
        'JobCreated',
        aJobCreated('fan-up', { displayName: 'Fan up', devices: ['vm-1', 'vm-2', 'vm-3'] }),
        {
          displayName: 'Fan up',
          deviceSet: 'seattle-vms',
          deviceCount: 3,
          operationCount: 1,
          operations: [{ type: 'setting', name: 'fanSpeed' }],
        },
      ],
      ['JobStopped', aJobStopped('fan-up'), {}],
      ['JobPaused', aJobPaused('fan-up'), {}],
      ['JobResumed', aJobResumed('fan-up'), {}],
      ['JobApproved', other('JobApproved', 'fan-up', { jobId: 'fan-up', approvedAt: '2026-03-01T11:00:00.000Z' }), {}],
      [
        'DeviceTemplateSaved',
        other('DeviceTemplateSaved', 'vending', { templateId: 'vending', displayName: 'Vending', capabilities: [{}, {}] }),
        { displayName: 'Vending', capabilityCount: 2 },
      ],
      ['DeviceTemplateDeleted', other('DeviceTemplateDeleted', 'vending', { templateId: 'vending' }), {}],
      ['DeviceRegistered', aDeviceRegistered('vm-1', '2026-03-01T11:00:00.000Z'), { displayName: 'Device vm-1', template: 'vending-machine', origin: 'api' }],
      ['DeviceDeleted', aDeviceDeleted('vm-1', '2026-03-01T11:00:00.000Z'), {}],
      [
        'DeviceSetSaved',
        other('DeviceSetSaved', 'seattle', { deviceSetId: 'seattle', displayName: 'Seattle', conditions: [{}] }),
        { displayName: 'Seattle', conditionCount: 1 },
      ],
      ['DeviceSetDeleted', other('DeviceSetDeleted', 'seattle', { deviceSetId: 'seattle' }), {}],
      [
        'TokenCreated',
        other('TokenCreated', 'tk1', { tokenId: 'tk1', name: 'ci', role: 'builder', expiresAt: '2027-01-01T00:00:00.000Z' }),
        { name: 'ci', role: 'builder', expiresAt: '2027-01-01T00:00:00.000Z' },
      ],
      ['TokenRevoked', other('TokenRevoked', 'tk1', { tokenId: 'tk1' }), {}],
    ])('%s', (action, event, summary) => {
      expect(auditEntryOf(by(event))).toEqual({
        eventId: event.id,
        time: new Date(event.time).toISOString(),
        actor: ada,
        action,
        subject: event.subject,
        summary,
      });
    });

    it('the table covers every action the list can filter on', () => {
      expect([...AUDITED_ACTIONS].sort()).toEqual(
        [
          'DeviceDeleted',
          'DeviceRegistered',
          'DeviceSetDeleted',
          'DeviceSetSaved',
          'DeviceTemplateDeleted',
          'DeviceTemplateSaved',
          'JobApproved',
          'JobCreated',
          'JobPaused',
          'JobResumed',
          'JobStopped',
          'ScheduleCreated',
          'ScheduleDeleted',
          'SchedulePaused',
          'ScheduleResumed',
          'TokenCreated',
          'TokenRevoked',
        ].sort(),
      );
    });
  });

  it('a schedule\'s commands are entries of the schedule\'s id, its creation with what it repeats', () => {
    const created = other('ScheduleCreated', 'schedules/nightly', {
      scheduleId: 'nightly',
      displayName: 'Nightly',
      deviceSet: 'seattle-vms',
      devices: null,
      operations: [{ type: 'setting', name: 'fanSpeed', value: 1 }],
      recurrence: { cron: '0 2 * * *', timeZone: 'Europe/Berlin', count: 4 },
    });
    expect(auditEntryOf(by(created))).toMatchObject({
      action: 'ScheduleCreated',
      subject: 'nightly',
      summary: { displayName: 'Nightly', deviceSet: 'seattle-vms', deviceCount: null, operationCount: 1, cron: '0 2 * * *', timeZone: 'Europe/Berlin' },
    });
    for (const type of ['SchedulePaused', 'ScheduleResumed', 'ScheduleDeleted']) {
      expect(auditEntryOf(by(other(type, 'schedules/nightly', { scheduleId: 'nightly' })))).toMatchObject({ action: type, subject: 'nightly', summary: {} });
    }
    // What the schedule does by itself is no command.
    expect(auditEntryOf(by(other('ScheduleRunCreated', 'schedules/nightly', { scheduleId: 'nightly', run: 2 })))).toBeNull();
  });

  it('an event without actor makes no entry', () => {
    expect(auditEntryOf(aJobCreated('nobody'))).toBeNull();
    expect(auditEntryOf(aJobStopped('nobody'))).toBeNull();
  });

  it('an event that records no command makes no entry, even with an actor', () => {
    for (const event of [aJobStarted('j', 2), aJobTargetsResolved('j', ['a']), aDeviceSucceeded('j', 'a'), aDeviceFailed('j', 'a')]) {
      expect(auditEntryOf(by(event))).toBeNull();
    }
    expect(auditEntryOf(by(other('JobRenamed', 'j', { jobId: 'j' })))).toBeNull();
  });

  it('a job set-wide says so with a null device count, and never lists devices or values', () => {
    const devices = Array.from({ length: 10_000 }, (_, i) => `vm-${i}`);
    const operations = Array.from({ length: 40 }, (_, i) => ({ type: 'command' as const, name: `reboot${i}`, value: { secret: 'x'.repeat(1000) } }));
    const listed = auditEntryOf(by(aJobCreated('big', { devices, operations, displayName: 'n'.repeat(5000) })))!;
    expect(listed.summary).toMatchObject({ deviceCount: 10_000, operationCount: 40 });
    expect(listed.summary.operations).toHaveLength(SUMMARY_OPERATIONS_MAX);
    expect(listed.summary.displayName).toHaveLength(SUMMARY_TEXT_MAX);
    expect(JSON.stringify(listed.summary)).not.toMatch(/vm-1|secret/);
    expect(JSON.stringify(listed.summary).length).toBeLessThan(1500);
    expect(auditEntryOf(by(aJobCreated('set-wide', { devices: null })))!.summary.deviceCount).toBeNull();
  });

  it('a batch gives the entries of its commands in order and skips the rest', () => {
    const bob: Actor = { id: 'token:ci', name: 'ci', role: 'administrator' };
    const created = by(aJobCreated('a'));
    const stopped = by(aJobStopped('a'), bob);
    const entries = auditEntriesOf([created, aJobStarted('a', 1), aDeviceSucceeded('a', 'x'), stopped]);
    expect(entries.map((e) => [e.eventId, e.action, e.actor.id])).toEqual([
      [created.id, 'JobCreated', 'user:ada'],
      [stopped.id, 'JobStopped', 'token:ci'],
    ]);
    expect(auditEntriesOf([aDeviceSucceeded('a', 'x'), aDeviceFailed('a', 'y')])).toEqual([]);
  });
});
