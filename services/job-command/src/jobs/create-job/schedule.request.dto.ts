import { IsString, Matches } from 'class-validator';
import type { FieldError } from '@fleetjobs/http-kit';
import type { JobSchedule } from '@fleetjobs/contracts';

/** An instant with its offset: a bare local time would depend on the server's zone. */
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

/** `schedule` of a job body: the job stays pending until `startAt`. */
export class ScheduleRequestDto {
  @IsString()
  @Matches(INSTANT, { message: 'must be an ISO 8601 time with a zone, e.g. 2030-01-31T02:00:00Z' })
  startAt: string;
}

/** A start time must lie ahead of the request: a job meant for now needs no schedule. */
export function scheduleErrors(schedule: ScheduleRequestDto, now: Date): FieldError[] {
  const startAt = Date.parse(schedule.startAt);
  if (Number.isNaN(startAt)) return [{ field: 'schedule.startAt', message: 'is not a valid time' }];
  if (startAt <= now.getTime()) return [{ field: 'schedule.startAt', message: `must be in the future (it is ${now.toISOString()} now)` }];
  return [];
}

/** The schedule as the job's definition keeps it: instants in UTC, so equal requests stay equal. */
export function scheduleOf(schedule: ScheduleRequestDto): JobSchedule {
  return { startAt: new Date(schedule.startAt).toISOString() };
}
