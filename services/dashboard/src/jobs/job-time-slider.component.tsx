import { useEffect, useId, useState } from 'react';
import { Job } from '../api/fleetjobs-api.types';

/** The slider settles this long before the job is read at the chosen moment, so dragging is not a request per step. */
export const SLIDER_SETTLE_MS = 250;

const momentFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });

interface JobTimeSliderProps {
  job: Job;
  /** The moment shown; null: live. */
  at: string | null;
  onChange: (at: string | null) => void;
  /** The clock of "now" for a job that has not ended (tests pass their own). */
  now?: () => number;
}

/** Whole seconds from the job's creation to its end, or to now while it runs; at least one. */
function lifeSeconds(job: Job, now: number): number {
  const end = job.endedAt ? Date.parse(job.endedAt) : now;
  return Math.max(1, Math.ceil((end - Date.parse(job.createdAt)) / 1000));
}

/**
 * A slider over the job's life, from its creation to its end (or now): the right end is live,
 * any other position shows the job and its devices as they were at that moment.
 */
export function JobTimeSlider({ job, at, onChange, now = Date.now }: JobTimeSliderProps) {
  const id = useId();
  const created = Date.parse(job.createdAt);
  const max = lifeSeconds(job, now());
  const committed = at === null ? max : Math.min(max, Math.max(0, Math.floor((Date.parse(at) - created) / 1000)));
  // While the slider moves, the position it shows; it settles into a moment (or live) after a pause.
  // (The right end is live even if the job's life grows before the slider settles.)
  const [draft, setDraft] = useState<{ position: number; live: boolean } | null>(null);
  const position = draft?.live ? max : (draft?.position ?? committed);

  useEffect(() => {
    if (draft === null) return;
    const timer = setTimeout(() => {
      setDraft(null);
      onChange(draft.live ? null : new Date(created + draft.position * 1000).toISOString());
    }, SLIDER_SETTLE_MS);
    return () => clearTimeout(timer);
  }, [draft, created, onChange]);

  const live = position >= max;
  const text = live ? 'Live' : momentFormat.format(new Date(created + position * 1000));
  return (
    <section className="card job-time" aria-label="Job time">
      <label htmlFor={id} className="job-time__label">
        Job at a moment
      </label>
      <input
        id={id}
        type="range"
        min={0}
        max={max}
        step={1}
        value={position}
        aria-valuetext={text}
        data-testid="job-time-slider"
        style={{ width: '100%' }}
        onChange={(event) => {
          const next = Number(event.target.value);
          setDraft({ position: next, live: next >= max });
        }}
      />
      <p className="job-time__value" role="status" data-testid="job-time-value">
        {live ? (
          <span className="live live--stream">Live</span>
        ) : (
          <>
            As it was at <time dateTime={new Date(created + position * 1000).toISOString()}>{text}</time>{' '}
            <button
              type="button"
              className="button"
              onClick={() => {
                setDraft(null);
                onChange(null);
              }}
            >
              Back to live
            </button>
          </>
        )}
      </p>
    </section>
  );
}
