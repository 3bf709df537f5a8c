import type { ApiSchema } from '@fleetjobs/contracts';
import { describeOperation } from './resource.format';
import { Column, formatFields, formatTable } from './table.format';

/** A recurring schedule as `GET /api/schedules` and `GET /api/schedules/{id}` answer it. */
export type Schedule = ApiSchema<'Schedule'>;

const describeRecurrence = ({ cron, timeZone, endAt, count }: Schedule['recurrence']): string =>
  `${cron} (${timeZone ?? 'UTC'})${count !== undefined ? `, ${count} runs` : ''}${endAt !== undefined ? `, until ${endAt}` : ''}`;

const SCHEDULE_COLUMNS: Column<Schedule>[] = [
  { header: 'ID', value: (schedule) => schedule.id },
  { header: 'STATUS', value: (schedule) => schedule.status },
  { header: 'REPEATS', value: (schedule) => describeRecurrence(schedule.recurrence), max: 48 },
  { header: 'NEXT RUN', value: (schedule) => schedule.nextRunAt ?? '-' },
  { header: 'RUNS', value: (schedule) => String(schedule.runs) },
  { header: 'NAME', value: (schedule) => schedule.displayName, max: 40 },
];

export const formatSchedules = (schedules: Schedule[]): string => formatTable(SCHEDULE_COLUMNS, schedules);

export function formatSchedule(schedule: Schedule): string {
  const fields: [string, string][] = [
    ['id', schedule.id],
    ['name', schedule.displayName],
    ['status', schedule.status],
    ['repeats', describeRecurrence(schedule.recurrence)],
    ['device set', schedule.job.devices ? `${schedule.job.deviceSet} (${schedule.job.devices.length} devices)` : schedule.job.deviceSet],
    ['operations', schedule.job.operations.map(describeOperation).join(', ')],
    ['runs', String(schedule.runs)],
    ['next run', schedule.nextRunId ? `${schedule.nextRunId} at ${schedule.nextRunAt}` : '-'],
    ['last run', schedule.lastRunId ?? '-'],
    ['created', schedule.createdAt],
  ];
  if (schedule.startAt) fields.splice(4, 0, ['not before', schedule.startAt]);
  return formatFields(fields);
}
