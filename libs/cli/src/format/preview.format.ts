import type { ApiSchema } from '@fleetjobs/contracts';
import { formatFields, formatTable } from './table.format';

type JobPreview = ApiSchema<'JobPreview'>;
type JobOverlap = ApiSchema<'JobOverlap'>;

/** A duration as an operator reads it: `45 s`, `12 min 5 s`, `3 h 20 min`. */
export function formatDuration(seconds: number): string {
  const whole = Math.round(seconds);
  if (whole < 60) return `${whole} s`;
  if (whole < 3600) return `${Math.floor(whole / 60)} min ${whole % 60} s`;
  return `${Math.floor(whole / 3600)} h ${Math.floor((whole % 3600) / 60)} min`;
}

const OVERLAP_COLUMNS = [
  { header: 'JOB', value: (overlap: JobOverlap) => overlap.jobId },
  { header: 'STATUS', value: (overlap: JobOverlap) => overlap.status },
  { header: 'SHARED', value: (overlap: JobOverlap) => String(overlap.sharedDevices) },
  { header: 'SAME WRITES', value: (overlap: JobOverlap) => overlap.sameWrites.map((write) => `${write.type}:${write.name}`).join(', ') || '-' },
  { header: 'NAME', value: (overlap: JobOverlap) => overlap.displayName, max: 40 },
];

/** What `jobs preview` prints: targets, the estimate, what creating it would do, then the overlapping jobs. */
export function formatPreview(preview: JobPreview): string {
  const { targets, eta, conflict } = preview;
  const byTemplate = targets.byTemplate.map(({ template, devices }) => `${template} ${devices}`).join(', ');
  const onCreate =
    conflict.outcome === 'create' ? 'created and run' : conflict.outcome === 'refuse' ? `refused (conflicts with ${conflict.jobs.join(', ')})` : `queued behind ${conflict.jobs.join(', ')}`;
  const fields: [string, string][] = [
    ['devices', `${targets.total}${byTemplate ? ` (${byTemplate})` : ''}`],
    ['eta', `${formatDuration(eta.seconds)} (limited by ${eta.limitedBy}; ${eta.batches} batches, ${formatDuration(eta.pauseSeconds)} of pauses)`],
    ['on create', `${onCreate} (onConflict ${conflict.onConflict})`],
  ];
  const overlaps = preview.overlaps.length > 0 ? `\noverlapping active jobs:\n${formatTable(OVERLAP_COLUMNS, preview.overlaps)}` : '';
  return formatFields(fields) + overlaps;
}
