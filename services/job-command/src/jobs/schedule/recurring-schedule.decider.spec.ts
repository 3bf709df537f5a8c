import type { ScheduleCreatedData } from '@fleetjobs/contracts';
import { deciderSpec } from '@fleetjobs/event-sourcing/testing';
import { decide, firstRunAfter, runJobId, ScheduleEvent, scheduleDecider } from './recurring-schedule.decider';
import { NoOccurrenceLeft, ScheduleAlreadyEnded, ScheduleIdTaken, ScheduleNotFound } from './recurring-schedule.errors';

const scheduleId = 'weekly-reboot';
const created: ScheduleCreatedData = {
  scheduleId,
  displayName: 'Weekly reboot',
  description: '',
  deviceSet: 'seattle-vms',
  devices: null,
  operations: [{ type: 'command', name: 'reboot', value: {} }],
  template: 'vending-machine',
  recurrence: { cron: '0 2 * * 1', timeZone: 'Europe/Berlin', count: 2 },
  createdAt: '2026-12-05T10:00:00.000Z',
};
// Mondays at 02:00 in Berlin (UTC+1 in winter).
const monday1 = '2026-12-07T01:00:00.000Z';
const monday2 = '2026-12-14T01:00:00.000Z';
const monday3 = '2026-12-21T01:00:00.000Z';

const spec = deciderSpec(scheduleDecider);
const runCreated = (run: number, startAt: string): ScheduleEvent => ({ type: 'ScheduleRunCreated', data: { scheduleId, run, jobId: runJobId(scheduleId, run), startAt } });
const made: ScheduleEvent[] = [{ type: 'ScheduleCreated', data: created }, runCreated(1, monday1)];
const stateAfter = (events: ScheduleEvent[]) => events.reduce(scheduleDecider.evolve, scheduleDecider.initialState());

describe('a recurring schedule', () => {
  it('is created with its run 1 at the first occurrence', () => {
    spec.given([]).when({ type: 'CreateSchedule', schedule: created }).then(made);
  });

  it('starts its first run no earlier than its startAt', () => {
    expect(firstRunAfter({ ...created, schedule: { startAt: '2026-12-10T00:00:00.000Z' } }, created.createdAt, 0)).toBe(monday2);
    // An occurrence exactly at startAt counts.
    expect(firstRunAfter({ ...created, schedule: { startAt: monday2 } }, created.createdAt, 0)).toBe(monday2);
  });

  it('repeated with the same definition changes nothing; with another, the id is taken', () => {
    spec.given(made).when({ type: 'CreateSchedule', schedule: { ...created, createdAt: '2026-12-06T00:00:00.000Z' } }).then([]);
    expect(() => decide({ type: 'CreateSchedule', schedule: { ...created, recurrence: { cron: '0 3 * * 1' } } }, stateAfter(made))).toThrow(ScheduleIdTaken);
  });

  it('is refused when no occurrence is left before its end', () => {
    expect(() => decide({ type: 'CreateSchedule', schedule: { ...created, recurrence: { cron: '0 2 * * 1', endAt: '2026-12-06T00:00:00.000Z' } } }, stateAfter([]))).toThrow(NoOccurrenceLeft);
  });

  it('creates the next run when the pending run’s start comes, and ends after its count', () => {
    spec.given(made).when({ type: 'PassRun', scheduleId, jobId: runJobId(scheduleId, 1), now: monday1 }).then([runCreated(2, monday2)]);
    const two = [...made, runCreated(2, monday2)];
    expect(stateAfter(two)).toMatchObject({ status: 'active', runs: 2, started: 1, lastRunId: 'weekly-reboot.run-1', nextRun: { jobId: 'weekly-reboot.run-2' } });
    spec
      .given(two)
      .when({ type: 'PassRun', scheduleId, jobId: runJobId(scheduleId, 2), now: monday2 })
      .then([{ type: 'ScheduleEnded', data: { scheduleId, runs: 2, endedAt: monday2 } }]);
  });

  it('creates a run once: a run that is no longer the pending one passes nothing', () => {
    spec.given([...made, runCreated(2, monday2)]).when({ type: 'PassRun', scheduleId, jobId: runJobId(scheduleId, 1), now: monday1 }).then([]);
  });

  it('does not make up runs missed while nothing polled: the next is the first after now', () => {
    spec.given(made).when({ type: 'PassRun', scheduleId, jobId: runJobId(scheduleId, 1), now: '2026-12-15T00:00:00.000Z' }).then([runCreated(2, monday3)]);
  });

  it('paused, it stops its pending run and creates none; resumed, its next run comes at the first occurrence after now', () => {
    const paused: ScheduleEvent = { type: 'SchedulePaused', data: { scheduleId, pausedAt: created.createdAt, stoppedRunId: runJobId(scheduleId, 1) } };
    spec.given(made).when({ type: 'PauseSchedule', scheduleId, now: created.createdAt }).then([paused]);
    spec.given([...made, paused]).when({ type: 'PauseSchedule', scheduleId, now: created.createdAt }).then([]);
    spec.given([...made, paused]).when({ type: 'PassRun', scheduleId, jobId: runJobId(scheduleId, 1), now: monday1 }).then([]);
    const resumedAt = '2026-12-08T00:00:00.000Z';
    spec
      .given([...made, paused])
      .when({ type: 'ResumeSchedule', scheduleId, now: resumedAt })
      .then([{ type: 'ScheduleResumed', data: { scheduleId, resumedAt } }, runCreated(2, monday2)]);
    // The run stopped by the pause did not count: two runs still start.
    expect(stateAfter([...made, paused, { type: 'ScheduleResumed', data: { scheduleId, resumedAt } }, runCreated(2, monday2)])).toMatchObject({ started: 0, lastRunId: null });
  });

  it('deleted, it stops its pending run and is gone', () => {
    spec.given(made).when({ type: 'DeleteSchedule', scheduleId, now: monday1 }).then([{ type: 'ScheduleDeleted', data: { scheduleId, deletedAt: monday1, stoppedRunId: runJobId(scheduleId, 1) } }]);
    const deleted: ScheduleEvent[] = [...made, { type: 'ScheduleDeleted', data: { scheduleId, deletedAt: monday1 } }];
    expect(() => decide({ type: 'DeleteSchedule', scheduleId, now: monday1 }, stateAfter(deleted))).toThrow(ScheduleNotFound);
    expect(() => decide({ type: 'PauseSchedule', scheduleId, now: monday1 }, stateAfter(deleted))).toThrow(ScheduleNotFound);
    spec.given(deleted).when({ type: 'PassRun', scheduleId, jobId: runJobId(scheduleId, 1), now: monday1 }).then([]);
  });

  it('ended, it can be neither paused nor resumed', () => {
    const ended: ScheduleEvent[] = [...made, { type: 'ScheduleEnded', data: { scheduleId, runs: 1, endedAt: monday1 } }];
    expect(() => decide({ type: 'PauseSchedule', scheduleId, now: monday1 }, stateAfter(ended))).toThrow(ScheduleAlreadyEnded);
    expect(() => decide({ type: 'ResumeSchedule', scheduleId, now: monday1 }, stateAfter(ended))).toThrow(ScheduleAlreadyEnded);
    expect(stateAfter(ended)).toMatchObject({ status: 'ended', lastRunId: 'weekly-reboot.run-1', nextRun: null });
  });
});
