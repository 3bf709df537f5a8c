import { ReactNode, SetStateAction, useId } from 'react';
import { firstError } from '../api/field-errors';
import { FAILURE_KINDS, FailureKind } from '../api/fleetjobs-api.types';
import { Field } from '../shared/field.component';
import { RowsEditor } from '../shared/rows-editor.component';
import { FieldErrors } from './new-job-form';
import { AbortRuleRow, newAbortRule, RolloutDraft } from './rollout-form';

interface RolloutSectionProps {
  draft: RolloutDraft;
  onChange: (update: (draft: RolloutDraft) => RolloutDraft) => void;
  errors: FieldErrors;
}

type NumberKey = { [K in keyof RolloutDraft]: RolloutDraft[K] extends string ? K : never }[keyof RolloutDraft];

/**
 * The job's rollout: off by default (every device at once, as a job without a rollout), or
 * batches, a rate, abort rules, retries and a per-device timeout.
 */
export function RolloutSection({ draft, onChange, errors }: RolloutSectionProps) {
  const id = useId();
  const set = (patch: Partial<RolloutDraft>) => onChange((d) => ({ ...d, ...patch }));
  const error = (field: string) => firstError(errors, field);
  const numberField = (key: NumberKey, label: string, field: string, options: { hint?: string; decimal?: boolean; placeholder?: string } = {}) => (
    <Field label={label} error={error(field)} hint={options.hint}>
      {(control) => (
        <input
          {...control}
          type="text"
          inputMode={options.decimal ? 'decimal' : 'numeric'}
          placeholder={options.placeholder}
          value={draft[key]}
          onChange={(e) => set({ [key]: e.target.value } as Partial<RolloutDraft>)}
        />
      )}
    </Field>
  );
  const setAbort = (action: SetStateAction<AbortRuleRow[]>) =>
    onChange((d) => ({ ...d, abort: typeof action === 'function' ? action(d.abort) : action }));

  return (
    <section className="rollout" aria-labelledby={`${id}-title`} data-testid="rollout-section">
      <div className="rollout__header">
        <h2 id={`${id}-title`}>Rollout</h2>
        <label className="checkbox">
          <input
            type="checkbox"
            checked={draft.enabled}
            aria-expanded={draft.enabled}
            aria-controls={draft.enabled ? `${id}-body` : undefined}
            onChange={(e) => set({ enabled: e.target.checked })}
          />
          Roll out in batches, at a rate, with abort rules and retries
        </label>
      </div>
      {error('rollout') ? <p className="field__error" role="alert">{error('rollout')}</p> : null}
      {!draft.enabled ? (
        <p className="muted small">Off: every chosen device is reached at once, at the dispatchers' pace.</p>
      ) : (
        <div id={`${id}-body`} className="rollout__body">
          <fieldset className="rollout__part">
            <legend>Batches</legend>
            <Choice
              name={`${id}-batches`}
              label="How devices are batched"
              value={draft.batchMode}
              options={[
                ['none', 'One batch'],
                ['size', 'By size'],
                ['percent', 'By percent'],
              ]}
              error={error('rollout.batches')}
              onChange={(batchMode) => set({ batchMode })}
            />
            {draft.batchMode !== 'none' ? (
              <div className="rollout__row">
                {draft.batchMode === 'size'
                  ? numberField('batchSize', 'Devices per batch', 'rollout.batches.size')
                  : numberField('batchPercent', 'Percent per batch', 'rollout.batches.percent', { decimal: true })}
                <div className="field">
                  <label className="checkbox rollout__check">
                    <input type="checkbox" checked={draft.gate} onChange={(e) => set({ gate: e.target.checked })} />
                    Success gate
                  </label>
                </div>
                {draft.gate ? numberField('gatePercent', 'Completed (%)', 'rollout.successGate.percent', { decimal: true, hint: 'Before the next batch' }) : null}
                {numberField('pauseSeconds', 'Pause (s)', 'rollout.pauseBetweenSeconds', { hint: 'Between batches' })}
              </div>
            ) : null}
          </fieldset>

          <fieldset className="rollout__part">
            <legend>Rate</legend>
            <Choice
              name={`${id}-rate`}
              label="Rate"
              value={draft.rateMode}
              options={[
                ['none', 'No cap'],
                ['fixed', 'Fixed'],
                ['adaptive', 'Adaptive'],
              ]}
              error={error('rollout.rate')}
              onChange={(rateMode) => set({ rateMode })}
            />
            {draft.rateMode === 'fixed' ? (
              <>
                <div className="rollout__row">
                  {numberField('perMinute', 'Cap per minute', 'rollout.rate.perMinute', { decimal: true })}
                  <div className="field">
                    <label className="checkbox rollout__check">
                      <input type="checkbox" checked={draft.ramp} onChange={(e) => set({ ramp: e.target.checked })} />
                      Ramp up
                    </label>
                  </div>
                </div>
                {draft.ramp ? (
                  <div className="rollout__row">
                    {numberField('rampStartPerMinute', 'Start per minute', 'rollout.rate.ramp.startPerMinute', { decimal: true, placeholder: 'a tenth of the rate' })}
                    {numberField('rampFactor', 'Ramp factor', 'rollout.rate.ramp.factor', { decimal: true, placeholder: '2' })}
                    {numberField('rampAfterSuccesses', 'After successes', 'rollout.rate.ramp.afterSuccesses', { placeholder: '50' })}
                  </div>
                ) : null}
              </>
            ) : null}
            {draft.rateMode === 'adaptive' ? (
              <>
                <div className="rollout__row">
                  {numberField('minPerMinute', 'Minimum per minute', 'rollout.rate.minPerMinute', { decimal: true })}
                  {numberField('maxPerMinute', 'Maximum per minute', 'rollout.rate.maxPerMinute', { decimal: true })}
                </div>
                <p className="field__hint">Rises while devices succeed quickly; falls on throttling, failures or slow devices.</p>
              </>
            ) : null}
          </fieldset>

          <RowsEditor
            legend="Abort rules"
            noun="abort rule"
            rows={draft.abort}
            setRows={setAbort}
            newRow={newAbortRule}
            error={error('rollout.abort')}
            intro={draft.abort.length === 0 ? <p className="field__hint">None: the job runs to the end whatever fails.</p> : null}
          >
            {(rule, i, change) => <AbortRuleFields rule={rule} index={i} change={change} errors={errors} />}
          </RowsEditor>

          <fieldset className="rollout__part">
            <legend>Retries</legend>
            <label className="checkbox">
              <input type="checkbox" checked={draft.retries} onChange={(e) => set({ retries: e.target.checked })} />
              Retry failed devices
            </label>
            {draft.retries ? (
              <>
                <div className="rollout__row">
                  {numberField('maxAttempts', 'Maximum attempts', 'rollout.retries.maxAttempts', { hint: 'Including the first' })}
                  {numberField('backoffInitialMs', 'First backoff (ms)', 'rollout.retries.backoff.initialMs', { placeholder: '1000' })}
                  {numberField('backoffFactor', 'Backoff factor', 'rollout.retries.backoff.factor', { decimal: true, placeholder: '2' })}
                  {numberField('backoffMaxMs', 'Longest backoff (ms)', 'rollout.retries.backoff.maxMs', { placeholder: '60000' })}
                </div>
                <label className="checkbox">
                  <input type="checkbox" checked={draft.jitter} onChange={(e) => set({ jitter: e.target.checked })} />
                  Jitter (wait between half and all of the backoff)
                </label>
                <Kinds
                  legend="Retry on"
                  value={draft.retryOn}
                  onChange={(retryOn) => set({ retryOn })}
                  error={error('rollout.retries.on') ?? error('rollout.retries.backoff') ?? error('rollout.retries')}
                  hint="A command is retried only when it was provably not delivered."
                />
              </>
            ) : null}
          </fieldset>

          <fieldset className="rollout__part">
            <legend>Timeout</legend>
            <div className="rollout__row">
              {numberField('timeoutSeconds', 'Timeout per device (s)', 'rollout.timeoutSeconds', { placeholder: '30', hint: "Empty: the deployment's own timeouts" })}
            </div>
          </fieldset>
        </div>
      )}
    </section>
  );
}

function AbortRuleFields({ rule, index, change, errors }: { rule: AbortRuleRow; index: number; change: (patch: Partial<AbortRuleRow>) => void; errors: FieldErrors }) {
  const at = `rollout.abort[${index}]`;
  const error = (field: string) => firstError(errors, field);
  return (
    <div className="rollout__rule">
      <div className="rollout__row rollout__row--rule">
        <Field label="Threshold">
          {(control) => (
            <select {...control} value={rule.by} onChange={(e) => change({ by: e.target.value as AbortRuleRow['by'] })}>
              <option value="percent">Percent</option>
              <option value="count">Count</option>
            </select>
          )}
        </Field>
        {rule.by === 'percent' ? (
          <Field label="Failed over (%)" error={error(`${at}.failed.percent`) ?? error(at)}>
            {(control) => <input {...control} type="text" inputMode="decimal" value={rule.percent} onChange={(e) => change({ percent: e.target.value })} />}
          </Field>
        ) : (
          <Field label="Failed count" error={error(`${at}.failed.count`) ?? error(at)}>
            {(control) => <input {...control} type="text" inputMode="numeric" value={rule.count} onChange={(e) => change({ count: e.target.value })} />}
          </Field>
        )}
        <Field label="Min. executed" error={error(`${at}.minExecuted`)}>
          {(control) => <input {...control} type="text" inputMode="numeric" placeholder="1" value={rule.minExecuted} onChange={(e) => change({ minExecuted: e.target.value })} />}
        </Field>
        <Field label="Scope" error={error(`${at}.scope`)}>
          {(control) => (
            <select {...control} value={rule.scope} onChange={(e) => change({ scope: e.target.value as AbortRuleRow['scope'] })}>
              <option value="job">Whole job</option>
              <option value="batch">Each batch</option>
            </select>
          )}
        </Field>
      </div>
      <Kinds legend="Counted failures" value={rule.kinds} onChange={(kinds) => change({ kinds })} error={error(`${at}.kinds`)} hint="None chosen: every failure counts." />
    </div>
  );
}

function Kinds({ legend, value, onChange, error, hint }: { legend: string; value: FailureKind[]; onChange: (kinds: FailureKind[]) => void; error?: string; hint?: string }) {
  const id = useId();
  return (
    <fieldset className="field rollout__kinds" aria-describedby={error ? `${id}-error` : undefined}>
      <legend>{legend}</legend>
      <div className="rollout__kind-options">
        {FAILURE_KINDS.map((kind) => (
          <label key={kind} className="checkbox">
            <input
              type="checkbox"
              checked={value.includes(kind)}
              onChange={(e) => onChange(e.target.checked ? [...value, kind] : value.filter((k) => k !== kind))}
            />
            {kind}
          </label>
        ))}
      </div>
      {hint ? <p className="field__hint">{hint}</p> : null}
      {error ? (
        <p id={`${id}-error`} className="field__error">
          {error}
        </p>
      ) : null}
    </fieldset>
  );
}

function Choice<T extends string>({ name, label, value, options, error, onChange }: { name: string; label: string; value: T; options: [T, ReactNode][]; error?: string; onChange: (value: T) => void }) {
  return (
    <div className="radio-group__options" role="radiogroup" aria-label={label} aria-invalid={Boolean(error) || undefined}>
      {options.map(([option, text]) => (
        <label key={option} className="radio">
          <input type="radio" name={name} value={option} checked={value === option} onChange={() => onChange(option)} />
          {text}
        </label>
      ))}
      {error ? <p className="field__error">{error}</p> : null}
    </div>
  );
}
