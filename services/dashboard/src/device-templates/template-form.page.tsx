import { FormEvent, useEffect, useState } from 'react';
import { firstError } from '../api/field-errors';
import { fleetjobsApi } from '../api/fleetjobs-api.client';
import { Capability, OPERATION_TYPES, OperationType, VALUE_SCHEMAS, ValueSchema } from '../api/fleetjobs-api.types';
import { ConfirmDialog } from '../shared/confirm-dialog.component';
import { useConfirmedDelete } from '../shared/confirmed-delete.hook';
import { Field } from '../shared/field.component';
import { FormActions } from '../shared/form-actions.component';
import { useFormSave } from '../shared/form-save.hook';
import { idError } from '../shared/ids';
import { Link } from '../shared/link.component';
import { PageHeader } from '../shared/page-header.component';
import { ProblemAlert } from '../shared/problem-alert.component';
import { RowsEditor } from '../shared/rows-editor.component';
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
  const submission = useFormSave();
  const deleting = useConfirmedDelete(() => fleetjobsApi.deleteTemplate(templateId), { page: 'templates' });

  useEffect(() => {
    const t = existing.data;
    if (!t) return;
    setDisplayName(t.displayName);
    setRows(t.capabilities.map((c) => row(c)));
  }, [existing.data]);

  const { errors } = submission;
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
    if (Object.keys(found).length) return submission.refuse(found);
    const capabilities = rows.map(({ name, kind, schema }) => ({ name: name.trim(), kind, schema }));
    const body = { displayName: displayName.trim(), capabilities };
    await submission.send(() => fleetjobsApi.putTemplate(templateId.trim(), body), { page: 'templates' }, fields);
  };

  return (
    <>
      <PageHeader
        title={editing ? (existing.data?.displayName ?? id) : 'New device template'}
        breadcrumb={<Link to={{ page: 'templates' }}>Device templates</Link>}
        actions={
          editing && existing.data ? (
            <button type="button" className="button button--danger" onClick={deleting.ask}>
              Delete
            </button>
          ) : null
        }
      />
      <ProblemAlert problem={existing.problem ?? deleting.problem} />
      <form className="card form form--wide" onSubmit={save} noValidate aria-label={editing ? 'Edit template' : 'New template'}>
        <Field label="Id" required error={firstError(errors, 'id')}>
          {(control) => <input {...control} type="text" value={templateId} readOnly={editing} onChange={(e) => setTemplateId(e.target.value)} />}
        </Field>
        <Field label="Name" required error={firstError(errors, 'displayName')}>
          {(control) => <input {...control} type="text" value={displayName} onChange={(e) => setDisplayName(e.target.value)} />}
        </Field>
        <RowsEditor legend="Capabilities" noun="capability" rows={rows} setRows={setRows} newRow={() => row()} error={firstError(errors, 'capabilities')}>
          {(r, i, change) => (
            <>
              <Field label="Capability" error={firstError(errors, `capabilities[${i}].name`) ?? firstError(errors, `capabilities[${i}]`)}>
                {(control) => <input {...control} type="text" value={r.name} onChange={(e) => change({ name: e.target.value })} />}
              </Field>
              <Field label="Kind" error={firstError(errors, `capabilities[${i}].kind`)} className="condition__operator">
                {(control) => (
                  <select {...control} value={r.kind} onChange={(e) => change({ kind: e.target.value as OperationType })}>
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
                  <select {...control} value={r.schema} onChange={(e) => change({ schema: e.target.value as ValueSchema })}>
                    {VALUE_SCHEMAS.map((s) => (
                      <option key={s} value={s}>
                        {s}
                      </option>
                    ))}
                  </select>
                )}
              </Field>
            </>
          )}
        </RowsEditor>
        <FormActions failure={submission.failure} busy={submission.saving} submitLabel={editing ? 'Save' : 'Create template'} cancelTo={{ page: 'templates' }} />
      </form>
      {deleting.asking ? (
        <ConfirmDialog
          title={`Delete ${displayName || templateId}?`}
          confirmLabel="Delete template"
          danger
          busy={deleting.busy}
          onConfirm={deleting.confirm}
          onCancel={deleting.cancel}
        >
          <p>Device sets that select this template become broken and list no devices.</p>
        </ConfirmDialog>
      ) : null}
    </>
  );
}
