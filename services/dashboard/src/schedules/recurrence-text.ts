import { Recurrence } from '../api/fleetjobs-api.types';

const WEEKDAY_NAMES = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const pad = (n: number) => String(n).padStart(2, '0');

/** "Every day at 02:00", "Every Monday at 22:30": the expressions the form's daily and weekly make; null for others. */
export function namedRepeat(cron: string): string | null {
  const fields = cron.trim().split(/\s+/);
  const number = (field: string | undefined, max: number) => (field !== undefined && /^\d{1,2}$/.test(field) && Number(field) <= max ? Number(field) : null);
  if (fields.length !== 5 || fields[2] !== '*' || fields[3] !== '*') return null;
  const [minute, hour, weekday] = [number(fields[0], 59), number(fields[1], 23), number(fields[4], 7)];
  if (minute === null || hour === null) return null;
  const at = `${pad(hour)}:${pad(minute)}`;
  if (fields[4] === '*') return `Every day at ${at}`;
  return weekday === null ? null : `Every ${WEEKDAY_NAMES[weekday % 7]} at ${at}`;
}

/** "Every day at 02:00 (UTC)", "Every Monday at 22:30 (Europe/Berlin)", or the cron expression itself with its zone. */
export function describeRepeat(recurrence: Pick<Recurrence, 'cron' | 'timeZone'>): string {
  const zone = recurrence.timeZone ?? 'UTC';
  const named = namedRepeat(recurrence.cron);
  return named ? `${named} (${zone})` : `Cron ${recurrence.cron} (${zone})`;
}

/** "Never", "After 5 runs", or the time of the last possible run. */
export function describeEnd(recurrence: Pick<Recurrence, 'count' | 'endAt'>, formatTime: (iso: string) => string): string {
  if (recurrence.count != null) return recurrence.count === 1 ? 'After 1 run' : `After ${recurrence.count} runs`;
  if (recurrence.endAt != null) return `No run after ${formatTime(recurrence.endAt)}`;
  return 'Never';
}
