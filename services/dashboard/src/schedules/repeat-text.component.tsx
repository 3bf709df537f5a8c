import { Recurrence } from '../api/fleetjobs-api.types';
import { namedRepeat } from './recurrence-text';

/** How a schedule repeats, in words where the form's daily or weekly made it, and always its cron expression and zone. */
export function RepeatText({ recurrence }: { recurrence: Pick<Recurrence, 'cron' | 'timeZone'> }) {
  const named = namedRepeat(recurrence.cron);
  const zone = recurrence.timeZone ?? 'UTC';
  if (!named) {
    return (
      <>
        Cron <code>{recurrence.cron}</code> ({zone})
      </>
    );
  }
  return (
    <>
      {named} ({zone}) <code className="muted small">{recurrence.cron}</code>
    </>
  );
}
