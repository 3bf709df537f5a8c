import { FormEvent, useEffect, useId, useState } from 'react';
import { firstError } from '../api/field-errors';
import { fleetjobsApi } from '../api/fleetjobs-api.client';
import { CONDITION_OPERATORS, ConditionOperator, SetCondition } from '../api/fleetjobs-api.types';
import { Field } from '../shared/field.component';
import { FormActions } from '../shared/form-actions.component';
import { useFormSave } from '../shared/form-save.hook';
import { idError } from '../shared/ids';
import { Link } from '../shared/link.component';
import { loadAllPages } from '../shared/load-all-pages';
import { PageHeader } from '../shared/page-header.component';
import { ProblemAlert } from '../shared/problem-alert.component';
import { RowsEditor } from '../shared/rows-editor.component';
import { useLoad } from '../shared/use-load.hook';
import { formatConditionValue, parseConditionValue } from './condition-value';

interface ConditionRow {
  key: number;
  field: string;
  operator: ConditionOperator;
  valueText: string;
}

let nextKey = 1;
const row = (field = '', operator: ConditionOperator = 'eq', valueText = ''): ConditionRow => ({ key: nextKey++, field, operator, valueText });

function fieldsOf(rows: ConditionRow[]): string[] {
  return ['id', 'displayName', 'conditions', ...rows.flatMap((_, i) => [`conditions[${i}]`, `conditions[${i}].field`, `conditions[${i}].operator`, `conditions[${i}].value`])];
}

/** Create a device set (`id` absent) or edit its name and conditions. */
export function DeviceSetFormPage({ id }: { id?: string }) {
  const listId = useId();
  const editing = id !== undefined;
  const existing = useLoad(() => (id ? fleetjobsApi.getDeviceSet(id) : Promise.resolve(null)), [id]);
  const templates = useLoad(() => loadAllPages((q) => fleetjobsApi.listTemplates(q)), []);
  const [setId, setSetId] = useState(id ?? '');
  const [displayName, setDisplayName] = useState('');
  const [rows, setRows] = useState<ConditionRow[]>(() => [row('template')]);
  const submission = useFormSave();

  useEffect(() => {
    const s = existing.data;
    if (!s) return;
    setDisplayName(s.displayName);
    setRows(s.conditions.map((c) => row(c.field, c.operator, formatConditionValue(c.value))));
  }, [existing.data]);

  const { errors } = submission;

  const save = async (event: FormEvent) => {
    event.preventDefault();
    const found: Record<string, string[]> = {};
    const idProblem = editing ? undefined : idError(setId.trim());
    if (idProblem) found.id = [idProblem];
    if (!displayName.trim()) found.displayName = ['Enter a name'];
    if (rows.length === 0) found.conditions = ['Add at least one condition'];
    const conditions: SetCondition[] = [];
    rows.forEach((r, i) => {
      if (!r.field.trim()) found[`conditions[${i}].field`] = ['Enter a field, e.g. template or tags.city'];
      const parsed = parseConditionValue(r.operator, r.valueText);
      if (!parsed.ok) found[`conditions[${i}].value`] = [parsed.message];
      else conditions.push({ field: r.field.trim(), operator: r.operator, value: parsed.value });
    });
    if (Object.keys(found).length) return submission.refuse(found);
    const trimmedId = setId.trim();
    const body = { displayName: displayName.trim(), conditions };
    await submission.send(() => fleetjobsApi.putDeviceSet(trimmedId, body), { page: 'device-set', id: trimmedId }, fieldsOf(rows));
  };

  return (
    <>
      <PageHeader title={editing ? `Edit ${existing.data?.displayName ?? id}` : 'New device set'} breadcrumb={<Link to={{ page: 'device-sets' }}>Device sets</Link>} />
      <ProblemAlert problem={existing.problem} />
      <form className="card form form--wide" onSubmit={save} noValidate aria-label={editing ? 'Edit device set' : 'New device set'}>
        <Field label="Id" required error={firstError(errors, 'id')} hint={editing ? 'The id of a set cannot change.' : undefined}>
          {(control) => <input {...control} type="text" value={setId} readOnly={editing} onChange={(e) => setSetId(e.target.value)} />}
        </Field>
        <Field label="Name" required error={firstError(errors, 'displayName')}>
          {(control) => <input {...control} type="text" value={displayName} onChange={(e) => setDisplayName(e.target.value)} />}
        </Field>
        <RowsEditor
          legend="Conditions (all must hold)"
          noun="condition"
          rows={rows}
          setRows={setRows}
          newRow={() => row()}
          error={firstError(errors, 'conditions')}
          intro={
            <>
              <p className="field__hint">
                Fields: <code>template</code>, <code>displayName</code>, <code>id</code> or <code>tags.&lt;name&gt;</code>. A job's operations come from the
                template named by a <code>template eq</code> condition. For <code>in</code>, separate values with commas.
              </p>
              <datalist id={`${listId}-templates`}>
                {(templates.data ?? []).map((t) => (
                  <option key={t.id} value={t.id}>
                    {t.displayName}
                  </option>
                ))}
              </datalist>
            </>
          }
        >
          {(r, i, change) => (
            <>
              <Field label="Field" error={firstError(errors, `conditions[${i}].field`)}>
                {(control) => <input {...control} type="text" value={r.field} onChange={(e) => change({ field: e.target.value })} />}
              </Field>
              <Field label="Operator" error={firstError(errors, `conditions[${i}].operator`)} className="condition__operator">
                {(control) => (
                  <select {...control} value={r.operator} onChange={(e) => change({ operator: e.target.value as ConditionOperator })}>
                    {CONDITION_OPERATORS.map((op) => (
                      <option key={op} value={op}>
                        {op}
                      </option>
                    ))}
                  </select>
                )}
              </Field>
              <Field label="Value" error={firstError(errors, `conditions[${i}].value`) ?? firstError(errors, `conditions[${i}]`)}>
                {(control) => (
                  <input
                    {...control}
                    type="text"
                    list={r.field === 'template' ? `${listId}-templates` : undefined}
                    value={r.valueText}
                    onChange={(e) => change({ valueText: e.target.value })}
                  />
                )}
              </Field>
            </>
          )}
        </RowsEditor>
        <FormActions
          failure={submission.failure}
          busy={submission.saving}
          submitLabel={editing ? 'Save' : 'Create device set'}
          cancelTo={editing ? { page: 'device-set', id } : { page: 'device-sets' }}
        />
      </form>
    </>
  );
}
