import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsInt, IsObject, IsOptional, IsString, Length, Matches, Min, ValidateNested } from 'class-validator';
import type { FieldError } from '@fleetjobs/http-kit';
import { HasNoDuplicates } from '@fleetjobs/http-kit';
import { DEVICE_TIME_ZONE, isKnownTimeZone, JobSchedule, secondsOfDay, WEEKDAYS, Weekday } from '@fleetjobs/contracts';
import { recurrenceProblems } from '../schedule/recurrence.policy';

/** An instant with its offset: a bare local time would depend on the server's zone. */
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;
const TIME_OF_DAY = /^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d)?$/;
const MAX_WINDOWS = 28;
const MAX_CRON_LENGTH = 200;

/**
 * One maintenance window: devices start only from `start` to `end` (local times) on `days`, in
 * `timeZone`: an IANA zone, or `device` for each device's own zone (its `timezone` tag, else UTC).
 */
export class MaintenanceWindowRequestDto {
  /** Omitted: every day. */
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @IsIn(WEEKDAYS, { each: true, message: `each must be one of ${WEEKDAYS.join(', ')}` })
  @HasNoDuplicates({ message: 'must not name a day twice' })
  days?: Weekday[];

  @IsString()
  @Matches(TIME_OF_DAY, { message: 'must be a time of day HH:MM or HH:MM:SS (24-hour)' })
  start: string;

  @IsString()
  @Matches(TIME_OF_DAY, { message: 'must be a time of day HH:MM or HH:MM:SS (24-hour)' })
  end: string;

  @IsString()
  timeZone: string;
}

/** `schedule.recurrence`: the body makes a recurring schedule whose runs are jobs (recurrence.policy.ts reads it). */
export class RecurrenceRequestDto {
  @IsString()
  @Length(1, MAX_CRON_LENGTH)
  cron: string;

  @IsOptional()
  @IsString()
  timeZone?: string;

  @IsOptional()
  @IsString()
  @Matches(INSTANT, { message: 'must be an ISO 8601 time with a zone, e.g. 2030-01-31T02:00:00Z' })
  endAt?: string;

  @IsOptional()
  @IsInt({ message: 'must be a whole number of runs, at least 1' })
  @Min(1, { message: 'must be a whole number of runs, at least 1' })
  count?: number;
}

/** `schedule` of a job body: the job stays pending until `startAt`, and starts devices only inside its `windows`. */
export class ScheduleRequestDto {
  @IsOptional()
  @IsString()
  @Matches(INSTANT, { message: 'must be an ISO 8601 time with a zone, e.g. 2030-01-31T02:00:00Z' })
  startAt?: string;

  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_WINDOWS)
  @ValidateNested({ each: true })
  @IsObject({ each: true })
  @Type(() => MaintenanceWindowRequestDto)
  windows?: MaintenanceWindowRequestDto[];

  /** Present: the body makes a recurring schedule, each run a job starting at an occurrence. */
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => RecurrenceRequestDto)
  recurrence?: RecurrenceRequestDto;
}

/**
 * What a schedule's fields cannot tell on their own: a start ahead of `now` (not checked when
 * `now` is null), known zones, windows of some length.
 */
export function scheduleErrors(schedule: ScheduleRequestDto, now: Date | null): FieldError[] {
  const errors: FieldError[] = [];
  if (schedule.startAt === undefined && schedule.windows === undefined && schedule.recurrence === undefined) {
    errors.push({ field: 'schedule', message: 'must name a startAt, windows or a recurrence' });
  }
  if (schedule.recurrence !== undefined) errors.push(...recurrenceProblems(schedule.recurrence, now ?? new Date()));
  if (schedule.startAt !== undefined) {
    if (Number.isNaN(Date.parse(schedule.startAt))) errors.push({ field: 'schedule.startAt', message: 'is not a valid time' });
    else if (now) errors.push(...startAtErrors(schedule.startAt, now));
  }
  (schedule.windows ?? []).forEach((window, index) => {
    const field = `schedule.windows[${index}]`;
    if (window.timeZone !== DEVICE_TIME_ZONE && !isKnownTimeZone(window.timeZone)) {
      errors.push({ field: `${field}.timeZone`, message: 'must be an IANA time zone such as UTC or Europe/Berlin, or device (each device its own zone)' });
    }
    if (secondsOfDay(window.start) !== null && secondsOfDay(window.start) === secondsOfDay(window.end)) {
      errors.push({ field: `${field}.end`, message: 'must differ from start (a window ending before its start runs overnight)' });
    }
  });
  return errors;
}

/** A new job's start must lie ahead of the request: a job meant for now needs no start. */
export function startAtErrors(startAt: string | undefined, now: Date): FieldError[] {
  if (startAt === undefined || Date.parse(startAt) > now.getTime()) return [];
  return [{ field: 'schedule.startAt', message: `must be in the future (it is ${now.toISOString()} now)` }];
}

/** The schedule as the job's definition keeps it: instants in UTC, so equal requests stay equal. */
export function scheduleOf(schedule: ScheduleRequestDto): JobSchedule {
  return {
    ...(schedule.startAt !== undefined ? { startAt: new Date(schedule.startAt).toISOString() } : {}),
    ...(schedule.windows
      ? {
          windows: schedule.windows.map(({ days, start, end, timeZone }) => ({ ...(days ? { days } : {}), start, end, timeZone })),
        }
      : {}),
  };
}
