import type { ApiSchema } from '@fleetjobs/contracts';
import { percentDone } from './progress.format';
import { Column, formatFields, formatTable } from './table.format';

/** A job as `GET /api/jobs` and `GET /api/jobs/{id}` answer it (docs/openapi.yaml, generated). */
export type Job = ApiSchema<'Job'>;
/** A job as its creation answers it (`POST /api/jobs`, `PUT /api/jobs/{id}`). */
export type AcceptedJob = ApiSchema<'AcceptedJob'>;
/** One device of a job. */
export type JobDevice = ApiSchema<'JobDevice'>;
/** A device set. */
export type DeviceSet = ApiSchema<'DeviceSet'>;

const counts = (job: Job) => (job.counts ? `${job.counts.completed + job.counts.failed}/${job.counts.total} (${percentDone({ ...job, counts: job.counts })}%)` : '');

const JOB_COLUMNS: Column<Job>[] = [
  { header: 'ID', value: (job) => job.id },
  { header: 'STATUS', value: (job) => job.status },
  { header: 'DONE', value: counts },
  { header: 'FAILED', value: (job) => String(job.counts?.failed ?? '') },
  { header: 'SET', value: (job) => job.deviceSet },
  { header: 'CREATED', value: (job) => job.createdAt },
  { header: 'NAME', value: (job) => job.displayName, max: 48 },
];

export const formatJobs = (jobs: Job[]): string => formatTable(JOB_COLUMNS, jobs);

export const describeOperation = (operation: Job['operations'][number]): string => `${operation.type}:${operation.name}=${JSON.stringify(operation.value)}`;

export function formatJob(job: Job): string {
  const fields: [string, string][] = [
    ['id', job.id],
    ['name', job.displayName],
    ['status', job.status],
    ['device set', job.deviceSet],
    ['operations', job.operations.map(describeOperation).join(', ')],
    ['created', job.createdAt],
  ];
  if (job.description) fields.splice(2, 0, ['description', job.description]);
  if (job.startedAt) fields.push(['started', job.startedAt]);
  if (job.endedAt) fields.push(['ended', job.endedAt]);
  if (job.counts) {
    const { total, pending, completed, failed } = job.counts;
    fields.push(['devices', `${total} total · ${completed} completed · ${failed} failed · ${pending} pending`]);
  }
  if (job.error) fields.push(['error', job.error]);
  return formatFields(fields);
}

const JOB_DEVICE_COLUMNS: Column<JobDevice>[] = [
  { header: 'DEVICE', value: (device) => device.deviceId + (device.deleted ? ' (deleted)' : '') },
  { header: 'STATUS', value: (device) => device.status },
  { header: 'NAME', value: (device) => device.displayName ?? '', max: 40 },
  { header: 'ERROR', value: (device) => device.error ?? '' },
];

export const formatJobDevices = (devices: JobDevice[]): string => formatTable(JOB_DEVICE_COLUMNS, devices);

const SET_COLUMNS: Column<DeviceSet>[] = [
  { header: 'ID', value: (set) => set.id },
  { header: 'NAME', value: (set) => set.displayName, max: 40 },
  { header: 'CONDITIONS', value: (set) => set.conditions.map((c) => `${c.field} ${c.operator} ${JSON.stringify(c.value)}`).join(' AND ') },
  { header: 'BROKEN', value: (set) => (set.broken ? `yes: ${set.brokenReason ?? ''}` : '') },
];

export const formatDeviceSets = (sets: DeviceSet[]): string => formatTable(SET_COLUMNS, sets);
