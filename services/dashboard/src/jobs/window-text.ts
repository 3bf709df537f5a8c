import { NewJob } from '../api/fleetjobs-api.types';

type MaintenanceWindow = NonNullable<NonNullable<NewJob['schedule']>['windows']>[number];

/** "sat, sun 22:00–04:00 Europe/Berlin; every day 01:00–02:00 each device's local time". */
export function describeWindows(windows: readonly MaintenanceWindow[]): string {
  const zone = (timeZone: string) => (timeZone === 'device' ? "each device's local time" : timeZone);
  return windows.map((w) => `${w.days?.length ? w.days.join(', ') : 'every day'} ${w.start}–${w.end} ${zone(w.timeZone)}`).join('; ');
}
