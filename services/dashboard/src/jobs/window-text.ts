import { NewJob } from '../api/fleetjobs-api.types';

type MaintenanceWindow = NonNullable<NonNullable<NewJob['schedule']>['windows']>[number];

/** "sat, sun 22:00–04:00 Europe/Berlin; every day 01:00–02:00 UTC". */
export function describeWindows(windows: readonly MaintenanceWindow[]): string {
  return windows.map((w) => `${w.days?.length ? w.days.join(', ') : 'every day'} ${w.start}–${w.end} ${w.timeZone}`).join('; ');
}
