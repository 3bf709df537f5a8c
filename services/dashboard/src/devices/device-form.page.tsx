import { FormEvent, useEffect, useState } from 'react';
import { firstError } from '../api/field-errors';
import { fleetjobsApi } from '../api/fleetjobs-api.client';
import { Field } from '../shared/field.component';
import { FormActions } from '../shared/form-actions.component';
import { useFormSave } from '../shared/form-save.hook';
import { idError, parseJsonObject } from '../shared/ids';
import { Link } from '../shared/link.component';
import { loadAllPages } from '../shared/load-all-pages';
import { PageHeader } from '../shared/page-header.component';
import { ProblemAlert } from '../shared/problem-alert.component';
import { useLoad } from '../shared/use-load.hook';

const FIELDS = ['id', 'displayName', 'template', 'tags'];

/** Create a device (`id` absent) or edit one. */
export function DeviceFormPage({ id }: { id?: string }) {
  const editing = id !== undefined;
  const existing = useLoad(() => (id ? fleetjobsApi.getDevice(id) : Promise.resolve(null)), [id]);
  const templates = useLoad(() => loadAllPages((q) => fleetjobsApi.listTemplates(q)), []);
  const [form, setForm] = useState({ id: id ?? '', displayName: '', template: '', tags: '{}' });
  const submission = useFormSave();

  useEffect(() => {
    const d = existing.data;
    if (d) setForm({ id: d.id, displayName: d.displayName, template: d.template, tags: JSON.stringify(d.tags, null, 2) });
  }, [existing.data]);

  const { errors } = submission;
  const set = (patch: Partial<typeof form>) => setForm((f) => ({ ...f, ...patch }));

  const save = async (event: FormEvent) => {
    event.preventDefault();
    const found: Record<string, string[]> = {};
    const idProblem = editing ? undefined : idError(form.id.trim());
    if (idProblem) found.id = [idProblem];
    if (!form.displayName.trim()) found.displayName = ['Enter a name'];
    if (!form.template) found.template = ['Choose a template'];
    const tags = parseJsonObject(form.tags);
    if (!tags.ok) found.tags = [tags.message];
    if (Object.keys(found).length || !tags.ok) return submission.refuse(found);
    const deviceId = form.id.trim();
    const body = { displayName: form.displayName.trim(), template: form.template, tags: tags.value };
    await submission.send(() => fleetjobsApi.putDevice(deviceId, body), { page: 'device', id: deviceId }, FIELDS);
  };

  const knownTemplate = !form.template || (templates.data ?? []).some((t) => t.id === form.template);
  return (
    <>
      <PageHeader title={editing ? `Edit ${existing.data?.displayName ?? id}` : 'New device'} breadcrumb={<Link to={{ page: 'devices' }}>Devices</Link>} />
      <ProblemAlert problem={existing.problem} />
      <form className="card form" onSubmit={save} noValidate aria-label={editing ? 'Edit device' : 'New device'}>
        <Field label="Id" required error={firstError(errors, 'id')} hint={editing ? 'The id of a device cannot change.' : 'Letters, digits, “-”, “_”, “.” or “:”'}>
          {(control) => <input {...control} type="text" value={form.id} readOnly={editing} onChange={(e) => set({ id: e.target.value })} />}
        </Field>
        <Field label="Name" required error={firstError(errors, 'displayName')}>
          {(control) => <input {...control} type="text" value={form.displayName} onChange={(e) => set({ displayName: e.target.value })} />}
        </Field>
        <Field label="Template" required error={firstError(errors, 'template')}>
          {(control) => (
            <select {...control} value={form.template} onChange={(e) => set({ template: e.target.value })}>
              <option value="">Choose a template…</option>
              {!knownTemplate ? <option value={form.template}>{form.template}</option> : null}
              {(templates.data ?? []).map((t) => (
                <option key={t.id} value={t.id}>
                  {t.displayName} ({t.id})
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field
          label="Tags"
          error={firstError(errors, 'tags')}
          hint='A JSON object; device sets select on it (tags.city). Simulated devices read tags.simulator, e.g. {"simulator": {"latencyMs": 200}}.'
        >
          {(control) => <textarea {...control} rows={6} className="mono" spellCheck={false} value={form.tags} onChange={(e) => set({ tags: e.target.value })} />}
        </Field>
        <FormActions
          failure={submission.failure}
          busy={submission.saving}
          submitLabel={editing ? 'Save' : 'Create device'}
          cancelTo={editing ? { page: 'device', id } : { page: 'devices' }}
        />
      </form>
    </>
  );
}
