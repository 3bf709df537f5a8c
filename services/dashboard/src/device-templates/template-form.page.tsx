import { FormEvent, useEffect, useState } from 'react';
import { ApiProblem, asApiProblem } from '../api/api-problem';
import { firstError } from '../api/field-errors';
import { fleetjobsApi } from '../api/fleetjobs-api.client';
import { Capability, OPERATION_TYPES, OperationType, VALUE_SCHEMAS, ValueSchema } from '../api/fleetjobs-api.types';
import { navigate } from '../routing/hash-location.hook';
import { ConfirmDialog } from '../shared/confirm-dialog.component';
import { Field } from '../shared/field.component';
import { idError } from '../shared/ids';
import { Link } from '../shared/link.component';
import { PageHeader } from '../shared/page-header.component';
import { ProblemAlert } from '../shared/problem-alert.component';
import { submitFailure, SubmitFailure } from '../shared/submit-errors';
import { useLoad } from '../shared/use-load.hook';

type CapabilityRow = Capability & { key: number };
let nextKey = 1;
const row = (c: Capability = { name: '', kind: 'setting', schema: 'number' }): CapabilityRow => ({ ...c, key: nextKey++ });

/** Create a template (`id` absent), or view, edit and delete one. */
export function TemplateFormPage({ id }: { id?: string }) {
  const editing = id !== undefined;
  const existing = useLoad(() => (id ? fleetjobsApi.getTemplate(id) : Promise.resolve(null)), [id]);
  const [templateId, setTemplateId] = useState(id ?? '');
  const [displayName, setDisplayName] = useState('');
  const [rows, setRows] = useState<CapabilityRow[]>(() => [row()]);
  const [failure, setFailure] = useState<Partial<SubmitFailure>>({});
  const [saving, setSaving] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const [deleteProblem, setDeleteProblem] = useState<ApiProblem>();

  useEffect(() => {
    const t = existing.data;
    if (!t) return;
    setDisplayName(t.displayName);
    setRows(t.capabilities.map((c) => row(c)));
  }, [existing.data]);

  const errors = failure.errors ?? {};
  const change = (key: number, patch: Partial<Capability>) => setRows((rs) => rs.map((r) => (r.key === key ? { ...r, ...patch } : r)));
  const fields = ['id', 'displayName', 'capabilities', ...rows.flatMap((_, i) => [`capabilities[${i}]`, `capabilities[${i}].name`, `capabilities[${i}].kind`, `capabilities[${i}].schema`])];

  const save = async (event: FormEvent) => {
    event.preventDefault();
    const found: Record<string, string[]> = {};
    const idProblem = editing ? undefined : idError(templateId.trim());
    if (idProblem) found.id = [idProblem];
    if (!displayName.trim()) found.displayName = ['Enter a name'];
    rows.forEach((r, i) => {
      if (!r.name.trim()) found[`capabilities[${i}].name`] = ['Enter a name'];
    });
    if (Object.keys(found).length) return setFailure({ errors: found });
    setSaving(true);
    try {
      const capabilities = rows.map(({ name, kind, schema }) => ({ name: name.trim(), kind, schema }));
      await fleetjobsApi.putTemplate(templateId.trim(), { displayName: displayName.trim(), capabilities });
      navigate({ page: 'templates' });
    } catch (error) {
      setFailure(submitFailure(error, fields));
    } finally {
      setSaving(false);
    }
  };

  const remove = async () => {
    try {
      await fleetjobsApi.deleteTemplate(templateId);
      navigate({ page: 'templates' });
    } catch (error) {
      setDeleteProblem(asApiProblem(error));
      setDeleting(false);
    }
  };

  return (
    <>
      <PageHeader
        title={editing ? (existing.data?.displayName ?? id) : 'New device template'}
        breadcrumb={<Link to={{ page: 'templates' }}>Device templates</Link>}
        actions={
          editing && existing.data ? (
            <button type="button" className="button button--danger" onClick={() => setDeleting(true)}>
              Delete
            </button>
          ) : null
        }
      />
      <ProblemAlert problem={existing.problem ?? deleteProblem} />
      <form className="card form form--wide" onSubmit={save} noValidate aria-label={editing ? 'Edit template' : 'New template'}>
        <Field label="Id" required error={firstError(errors, 'id')}>
          {(control) => <input {...control} type="text" value={templateId} readOnly={editing} onChange={(e) => setTemplateId(e.target.value)} />}
        </Field>
        <Field label="Name" required error={firstError(errors, 'displayName')}>
          {(control) => <input {...control} type="text" value={displayName} onChange={(e) => setDisplayName(e.target.value)} />}
        </Field>
        <fieldset className="conditions-editor">
          <legend>Capabilities</legend>
          {rows.map((r, i) => (
            <fieldset className="condition" key={r.key} data-testid={`capability-${i}`}>
              <legend className="visually-hidden">Capability {i + 1}</legend>
              <Field label="Capability" error={firstError(errors, `capabilities[${i}].name`) ?? firstError(errors, `capabilities[${i}]`)}>
                {(control) => <input {...control} type="text" value={r.name} onChange={(e) => change(r.key, { name: e.target.value })} />}
              </Field>
              <Field label="Kind" error={firstError(errors, `capabilities[${i}].kind`)} className="condition__operator">
                {(control) => (
                  <select {...control} value={r.kind} onChange={(e) => change(r.key, { kind: e.target.value as OperationType })}>
                    {OPERATION_TYPES.map((k) => (
                      <option key={k} value={k}>
                        {k}
                      </option>
                    ))}
                  </select>
                )}
              </Field>
              <Field label="Value schema" error={firstError(errors, `capabilities[${i}].schema`)} className="condition__operator">
                {(control) => (
                  <select {...control} value={r.schema} onChange={(e) => change(r.key, { schema: e.target.value as ValueSchema })}>
                    {VALUE_SCHEMAS.map((s) => (
                      <option key={s} value={s}>
                        {s}
                      </option>
                    ))}
                  </select>
                )}
              </Field>
              <button type="button" className="button button--icon condition__remove" aria-label={`Remove capability ${i + 1}`} title="Remove" onClick={() => setRows((rs) => rs.filter((x) => x.key !== r.key))}>
                ×
              </button>
            </fieldset>
          ))}
          {firstError(errors, 'capabilities') ? <p className="field__error">{firstError(errors, 'capabilities')}</p> : null}
          <button type="button" className="button button--small" onClick={() => setRows((rs) => [...rs, row()])}>
            <span aria-hidden="true">+</span> Add capability
          </button>
        </fieldset>
        <ProblemAlert problem={failure.problem} unplaced={failure.unplaced} />
        <div className="form-actions">
          <button type="submit" className="button button--primary" disabled={saving}>
            {saving ? 'Saving…' : editing ? 'Save' : 'Create template'}
          </button>
          <Link className="button" to={{ page: 'templates' }}>
            Cancel
          </Link>
        </div>
      </form>
      {deleting ? (
        <ConfirmDialog title={`Delete ${displayName || templateId}?`} confirmLabel="Delete template" danger onConfirm={remove} onCancel={() => setDeleting(false)}>
          <p>Device sets that select this template become broken and list no devices.</p>
        </ConfirmDialog>
      ) : null}
    </>
  );
}
