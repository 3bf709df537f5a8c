import { useId } from 'react';
import { firstError } from '../api/field-errors';
import { Field } from '../shared/field.component';
import { FieldErrors } from './new-job-form';
import { RepeatFields } from './repeat-fields.component';
import { ScheduleDraft, WEEKDAYS } from './schedule-form';

interface ScheduleSectionProps {
  draft: ScheduleDraft;
  onChange: (update: (draft: ScheduleDraft) => ScheduleDraft) => void;
  errors: FieldErrors;
}

/**
 * When the job starts (at once, or at a chosen time), whether it repeats (each run a job of its
 * own), and the maintenance window its devices start in.
 */
export function ScheduleSection({ draft, onChange, errors }: ScheduleSectionProps) {
  const id = useId();
  const set = (patch: Partial<ScheduleDraft>) => onChange((d) => ({ ...d, ...patch }));
  const error = (field: string) => firstError(errors, field);
  const repeats = draft.recurrence.repeat !== 'none';
  const startAt = draft.startAt && !Number.isNaN(new Date(draft.startAt).getTime()) ? new Date(draft.startAt) : undefined;
  return (
    <section className="rollout" aria-labelledby={`${id}-title`} data-testid="schedule-section">
      <div className="rollout__header">
        <h2 id={`${id}-title`}>Schedule</h2>
      </div>
      {error('schedule') ? <p className="field__error" role="alert">{error('schedule')}</p> : null}
      <Field
        label="Start at"
        error={error('schedule.startAt')}
        hint={repeats ? "No run starts before it; empty: from now on. Your browser's time zone." : "Empty: the job starts when you press Run. Your browser's time zone."}
      >
        {(control) => <input {...control} type="datetime-local" step={1} value={draft.startAt} onChange={(e) => set({ startAt: e.target.value })} />}
      </Field>
      <RepeatFields draft={draft.recurrence} startAt={startAt} errors={errors} onChange={(change) => onChange((d) => ({ ...d, recurrence: change(d.recurrence) }))} />
      <label className="checkbox">
        <input type="checkbox" checked={draft.windowOn} onChange={(e) => set({ windowOn: e.target.checked })} />
        Start devices only inside a maintenance window
      </label>
      {draft.windowOn ? (
        <div className="rollout__body">
          <fieldset className="rollout__part">
            <legend>Days (none: every day)</legend>
            {WEEKDAYS.map((day) => (
              <label key={day} className="checkbox">
                <input
                  type="checkbox"
                  checked={draft.days.includes(day)}
                  onChange={(e) => set({ days: e.target.checked ? WEEKDAYS.filter((d) => d === day || draft.days.includes(d)) : draft.days.filter((d) => d !== day) })}
                />
                {day}
              </label>
            ))}
            {error('schedule.windows[0].days') ? <p className="field__error">{error('schedule.windows[0].days')}</p> : null}
          </fieldset>
          <div className="rollout__row">
            <Field label="Window opens" error={error('schedule.windows[0].start')}>
              {(control) => <input {...control} type="text" placeholder="02:00" value={draft.start} onChange={(e) => set({ start: e.target.value })} />}
            </Field>
            <Field label="Window closes" error={error('schedule.windows[0].end')} hint="Before it opens: overnight">
              {(control) => <input {...control} type="text" placeholder="04:00" value={draft.end} onChange={(e) => set({ end: e.target.value })} />}
            </Field>
            <Field label="Window time zone" hint={'An IANA zone, or "device": each device\'s own (its timezone tag; UTC without one).'} error={error('schedule.windows[0].timeZone')}>
              {(control) => <input {...control} type="text" placeholder="UTC" value={draft.timeZone} onChange={(e) => set({ timeZone: e.target.value })} />}
            </Field>
          </div>
        </div>
      ) : null}
    </section>
  );
}
