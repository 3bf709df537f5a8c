import { firstError } from '../api/field-errors';
import { Field } from '../shared/field.component';
import { formatDateTime } from '../shared/format';
import { FieldErrors } from './new-job-form';
import { describeEnd, describeRepeat } from '../schedules/recurrence-text';
import { RecurrenceDraft, RepeatEnd, RepeatKind, validateRecurrence } from './recurrence-form';
import { formatRunTime, hasSeconds, upcomingRuns } from './recurrence-preview';
import { WEEKDAYS, Weekday } from './schedule-form';
import { useCronReader } from './cron-reader.hook';

const WEEKDAY_LABELS: Record<Weekday, string> = { mon: 'Monday', tue: 'Tuesday', wed: 'Wednesday', thu: 'Thursday', fri: 'Friday', sat: 'Saturday', sun: 'Sunday' };
const SHOWN_RUNS = 3;

interface RepeatFieldsProps {
  draft: RecurrenceDraft;
  /** The schedule's start (not before), when one is chosen. */
  startAt: Date | undefined;
  onChange: (update: (draft: RecurrenceDraft) => RecurrenceDraft) => void;
  errors: FieldErrors;
}

/** Repeat: none, every day or week at a time, or a cron expression; its zone, its end, and its next runs. */
export function RepeatFields({ draft, startAt, onChange, errors }: RepeatFieldsProps) {
  const set = (patch: Partial<RecurrenceDraft>) => onChange((d) => ({ ...d, ...patch }));
  const error = (field: string) => firstError(errors, field);
  const cronError = error('schedule.recurrence.cron') ?? error('schedule.recurrence');
  const text = (label: string, key: 'time' | 'cron' | 'timeZone' | 'count', fieldError: string | undefined, options: { placeholder?: string; hint?: string } = {}) => (
    <Field label={label} error={fieldError} hint={options.hint}>
      {(control) => <input {...control} type="text" placeholder={options.placeholder} value={draft[key]} onChange={(e) => set({ [key]: e.target.value })} />}
    </Field>
  );
  return (
    <div className="rollout__body" data-testid="repeat-fields">
      <div className="rollout__row">
        <Field label="Repeat">
          {(control) => (
            <select {...control} value={draft.repeat} onChange={(e) => set({ repeat: e.target.value as RepeatKind })}>
              <option value="none">Does not repeat</option>
              <option value="daily">Every day</option>
              <option value="weekly">Every week</option>
              <option value="cron">Cron expression</option>
            </select>
          )}
        </Field>
        {draft.repeat === 'weekly' ? (
          <Field label="Day of the week">
            {(control) => (
              <select {...control} value={draft.weekday} onChange={(e) => set({ weekday: e.target.value as Weekday })}>
                {WEEKDAYS.map((day) => (
                  <option key={day} value={day}>
                    {WEEKDAY_LABELS[day]}
                  </option>
                ))}
              </select>
            )}
          </Field>
        ) : null}
        {draft.repeat === 'daily' || draft.repeat === 'weekly' ? text('Time of day', 'time', cronError, { placeholder: '02:00' }) : null}
        {draft.repeat === 'cron'
          ? text('Cron expression', 'cron', cronError, { placeholder: '0 2 * * 1-5', hint: 'minute hour day month weekday; six fields: seconds first' })
          : null}
        {draft.repeat !== 'none' ? (
          <>
            {text('Time zone', 'timeZone', error('schedule.recurrence.timeZone'), { placeholder: 'UTC' })}
            <Field label="Ends">
              {(control) => (
                <select {...control} value={draft.end} onChange={(e) => set({ end: e.target.value as RepeatEnd })}>
                  <option value="never">Never</option>
                  <option value="count">After N runs</option>
                  <option value="date">On a date</option>
                </select>
              )}
            </Field>
            {draft.end === 'count' ? text('Number of runs', 'count', error('schedule.recurrence.count'), { placeholder: '10' }) : null}
            {draft.end === 'date' ? (
              <Field label="No run after" error={error('schedule.recurrence.endAt')} hint="Your browser's time zone.">
                {(control) => <input {...control} type="datetime-local" value={draft.endAt} onChange={(e) => set({ endAt: e.target.value })} />}
              </Field>
            ) : null}
          </>
        ) : null}
      </div>
      {draft.repeat !== 'none' ? <NextRuns draft={draft} startAt={startAt} /> : null}
    </div>
  );
}

/** What the repetition reads as, and its next few runs in its zone (once cron-parser has loaded). */
function NextRuns({ draft, startAt }: { draft: RecurrenceDraft; startAt: Date | undefined }) {
  const read = useCronReader();
  const now = new Date();
  const { recurrence } = validateRecurrence(draft, now, startAt);
  if (!recurrence) return null;
  const summary = `${describeRepeat(recurrence)}; ends: ${describeEnd(recurrence, formatDateTime).toLowerCase()}.`;
  const upcoming = read ? upcomingRuns(recurrence, startAt && startAt > now ? startAt : now, SHOWN_RUNS, read) : null;
  return (
    <div className="next-runs" data-testid="next-runs" aria-live="polite">
      <p className="muted small">{summary}</p>
      {upcoming && !upcoming.ok ? <p className="field__error">This expression cannot be read: {upcoming.message}</p> : null}
      {upcoming?.ok && upcoming.runs.length === 0 ? <p className="muted small">No run falls before the end.</p> : null}
      {upcoming?.ok && upcoming.runs.length > 0 ? (
        <>
          <p className="small">Next runs ({recurrence.timeZone}):</p>
          <ol className="next-runs__list small">
            {upcoming.runs.map((run) => (
              <li key={run.getTime()} data-testid="next-run">
                {formatRunTime(run, recurrence.timeZone ?? 'UTC', hasSeconds(recurrence.cron))}
              </li>
            ))}
          </ol>
        </>
      ) : null}
    </div>
  );
}
