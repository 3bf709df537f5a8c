import { DomainError } from '@fleetjobs/event-sourcing';

export class ScheduleNotFound extends DomainError {
  readonly code = 'schedule-not-found';
  constructor(readonly scheduleId: string) {
    super(`schedule "${scheduleId}" does not exist`);
  }
}

/** A schedule body under an id already used by a schedule (or a job) with another definition. */
export class ScheduleIdTaken extends DomainError {
  readonly code = 'schedule-id-taken';
  constructor(readonly scheduleId: string) {
    super(`schedule "${scheduleId}" already exists with another definition`);
  }
}

/** Pause or resume was asked of a schedule that creates no run any more. */
export class ScheduleAlreadyEnded extends DomainError {
  readonly code = 'schedule-already-ended';
  constructor(
    readonly scheduleId: string,
    readonly asked: 'paused' | 'resumed',
  ) {
    super(`schedule "${scheduleId}" already ended; only an active or paused schedule can be ${asked}`);
  }
}

/** The recurrence has no occurrence left (before its endAt) from the schedule's start on. */
export class NoOccurrenceLeft extends DomainError {
  readonly code = 'schedule-no-occurrence';
  constructor(readonly scheduleId: string) {
    super(`schedule "${scheduleId}" would never run: its recurrence has no occurrence before its end`);
  }
}
