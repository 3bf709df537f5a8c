import { FormEvent, useEffect, useMemo, useRef, useState } from 'react';
import { firstError } from '../api/field-errors';
import { fleetjobsApi } from '../api/fleetjobs-api.client';
import { useDeviceSetWithTemplate } from '../device-sets/device-set-with-template.hook';
import { DevicePicker } from '../devices/device-picker.component';
import { noDevices } from '../devices/device-selection';
import { navigate } from '../routing/hash-location.hook';
import { Field } from '../shared/field.component';
import { FormActions } from '../shared/form-actions.component';
import { Link } from '../shared/link.component';
import { loadAllPages } from '../shared/load-all-pages';
import { PageHeader } from '../shared/page-header.component';
import { ProblemAlert } from '../shared/problem-alert.component';
import { submitFailure, SubmitFailure } from '../shared/submit-errors';
import { useLoad } from '../shared/use-load.hook';
import { JobOperations } from './job-operations.component';
import { JobPreviewPanel } from './job-preview.component';
import { RolloutSection } from './rollout-section.component';
import { ScheduleSection } from './schedule-section.component';
import { draftCopiedFrom, emptyDraft, FieldErrors, fieldsOfDraft, NewJobDraft, OnConflict, validateDraft } from './new-job-form';

interface NewJobPageProps {
  copyOf?: string;
  deviceSet?: string;
}

/** Define a job (name, set, type, operations, devices) and run it. */
export function NewJobPage({ copyOf, deviceSet }: NewJobPageProps) {
  const [draft, setDraft] = useState<NewJobDraft>(() => emptyDraft(deviceSet));
  const [errors, setErrors] = useState<FieldErrors>({});
  const [problem, setProblem] = useState<SubmitFailure>();
  const [running, setRunning] = useState(false);
  const form = useRef<HTMLFormElement>(null);

  const sets = useLoad(() => loadAllPages((q) => fleetjobsApi.listDeviceSets(q)), []);
  const source = useLoad(() => (copyOf ? fleetjobsApi.copyJob(copyOf) : Promise.resolve(null)), [copyOf]);
  const chosen = useDeviceSetWithTemplate(draft.deviceSetId);
  const current = chosen.data && chosen.data.deviceSet.id === draft.deviceSetId ? chosen.data : null;
  const capabilities = current?.template?.capabilities ?? null;

  useEffect(() => {
    if (source.data) setDraft(draftCopiedFrom(source.data));
  }, [source.data]);

  const update = (patch: Partial<NewJobDraft>) => setDraft((d) => ({ ...d, ...patch }));
  /** The job as the form describes it now, for the preview; null until the form is complete. */
  const previewBody = useMemo(
    () => validateDraft(draft, { deviceSet: current?.deviceSet ?? null, capabilities }).body ?? null,
    [draft, current, capabilities],
  );

  /** After the errors render, takes the operator to the first one. */
  const focusFirstError = () =>
    requestAnimationFrame(() => {
      const invalid = form.current?.querySelector<HTMLElement>('[aria-invalid="true"]');
      if (invalid) invalid.focus();
      else form.current?.querySelector<HTMLElement>('.field__error')?.scrollIntoView?.({ block: 'center' });
    });

  const onRun = async (event: FormEvent) => {
    event.preventDefault();
    setProblem(undefined);
    const { errors: found, body } = validateDraft(draft, { deviceSet: current?.deviceSet ?? null, capabilities });
    setErrors(found);
    if (!body) {
      focusFirstError();
      return;
    }
    setRunning(true);
    try {
      const { id, scheduleId } = await fleetjobsApi.createJob(body);
      navigate(scheduleId ? { page: 'schedule', id: scheduleId } : { page: 'job', id });
    } catch (error) {
      const failure = submitFailure(error, fieldsOfDraft(draft));
      setErrors(failure.errors);
      setProblem(failure);
      focusFirstError();
    } finally {
      setRunning(false);
    }
  };

  const setError = firstError(errors, 'deviceSet');

  return (
    <>
      <PageHeader
        title="New job"
        breadcrumb={<Link to={{ page: 'jobs' }}>Jobs</Link>}
        subtitle={
          copyOf ? (
            <>
              A copy of job <Link to={{ page: 'job', id: copyOf }}>{source.data?.displayName ?? copyOf}</Link>. Check it, then Run.
            </>
          ) : (
            'Creating a job runs it on the chosen devices right away.'
          )
        }
      />
      {source.problem ? <ProblemAlert problem={source.problem} /> : null}
      <form ref={form} className="new-job" onSubmit={onRun} noValidate aria-label="New job">
        <div className="new-job__definition card">
          <Field label="Name" required error={firstError(errors, 'displayName')}>
            {(control) => <input {...control} type="text" value={draft.displayName} onChange={(e) => update({ displayName: e.target.value })} />}
          </Field>
          <Field label="Description" error={firstError(errors, 'description')}>
            {(control) => <textarea {...control} rows={2} value={draft.description} onChange={(e) => update({ description: e.target.value })} />}
          </Field>
          <Field label="Device set" required error={setError} hint={sets.problem ? `Device sets could not be loaded: ${sets.problem.detail || sets.problem.title}` : undefined}>
            {(control) => (
              <select
                {...control}
                value={draft.deviceSetId}
                onChange={(e) => update({ deviceSetId: e.target.value, selection: noDevices(), operations: [] })}
              >
                <option value="">Choose a device set…</option>
                {draft.deviceSetId && sets.data && !sets.data.some((s) => s.id === draft.deviceSetId) ? (
                  <option value={draft.deviceSetId}>{draft.deviceSetId}</option>
                ) : null}
                {(sets.data ?? []).map((s) => (
                  <option key={s.id} value={s.id}>
                    {s.displayName} ({s.id}){s.broken ? ' — broken' : ''}
                  </option>
                ))}
              </select>
            )}
          </Field>
          {chosen.problem && draft.deviceSetId ? <ProblemAlert problem={chosen.problem} /> : null}
          {current && !current.deviceSet.broken && !current.template ? (
            <p className="alert alert--warning">This set names no template (a “template eq …” condition), so its operations are unknown.</p>
          ) : null}
          <JobOperations
            type={draft.type}
            operations={draft.operations}
            capabilities={capabilities}
            templateName={current?.template?.displayName ?? null}
            unavailable={
              current?.deviceSet.broken
                ? 'The set is broken, so it offers no operations.'
                : current && !current.template
                  ? 'The set names no template, so it offers no operations.'
                  : draft.deviceSetId
                    ? 'Loading the template of the set…'
                    : undefined
            }
            errors={errors}
            onTypeChange={(type) => update({ type, operations: type === draft.type ? draft.operations : [] })}
            onOperationsChange={(operations) => update({ operations })}
          />
          <RolloutSection draft={draft.rollout} errors={errors} onChange={(change) => setDraft((d) => ({ ...d, rollout: change(d.rollout) }))} />
          <ScheduleSection draft={draft.schedule} errors={errors} onChange={(change) => setDraft((d) => ({ ...d, schedule: change(d.schedule) }))} />
          <Field label="If active jobs write the same" hint="A property or setting another active job writes on some of the same devices.">
            {(control) => (
              <select {...control} value={draft.onConflict} onChange={(e) => update({ onConflict: e.target.value as OnConflict })}>
                <option value="refuse">Refuse to run (default)</option>
                <option value="queue">Queue: start once they have ended</option>
                <option value="allow">Run beside them</option>
              </select>
            )}
          </Field>
          <JobPreviewPanel body={previewBody} />
          <FormActions failure={problem} busy={running} submitLabel="Run" busyLabel="Starting…" cancelTo={{ page: 'jobs' }} />
        </div>
        <div className="new-job__devices">
          {current ? (
            <DevicePicker
              key={current.deviceSet.id}
              deviceSet={current.deviceSet}
              selection={draft.selection}
              onSelectionChange={(selection) => update({ selection })}
              error={firstError(errors, 'devices')}
            />
          ) : (
            <div className="card picker picker--empty">
              <p className="muted">{draft.deviceSetId ? 'Loading the device set…' : 'Choose a device set to see its devices.'}</p>
              {firstError(errors, 'devices') ? <p className="field__error">{firstError(errors, 'devices')}</p> : null}
            </div>
          )}
        </div>
      </form>
    </>
  );
}
