import { FormEvent, useEffect, useId, useState } from 'react';
import { firstError } from '../api/field-errors';
import { fleetjobsApi } from '../api/fleetjobs-api.client';
import { CONDITION_OPERATORS, ConditionOperator, SetCondition } from '../api/fleetjobs-api.types';
import { navigate } from '../routing/hash-location.hook';
import { Field } from '../shared/field.component';
import { idError } from '../shared/ids';
import { Link } from '../shared/link.component';
import { loadAllPages } from '../shared/load-all-pages';
import { PageHeader } from '../shared/page-header.component';
import { ProblemAlert } from '../shared/problem-alert.component';
import { submitFailure, SubmitFailure } from '../shared/submit-errors';
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
  const [failure, setFailure] = useState<Partial<SubmitFailure>>({});
  const [saving, setSaving] = useState(false);

  useEffect(() => {
    const s = existing.data;
    if (!s) return;
    setDisplayName(s.displayName);
    setRows(s.conditions.map((c) => row(c.field, c.operator, formatConditionValue(c.value))));
  }, [existing.data]);

  const errors = failure.errors ?? {};
  const change = (key: number, patch: Partial<ConditionRow>) => setRows((rs) => rs.map((r) => (r.key === key ? { ...r, ...patch } : r)));

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
    if (Object.keys(found).length) return setFailure({ errors: found });
    setSaving(true);
    try {
      await fleetjobsApi.putDeviceSet(setId.trim(), { displayName: displayName.trim(), conditions });
      navigate({ page: 'device-set', id: setId.trim() });
    } catch (error) {
      setFailure(submitFailure(error, fieldsOf(rows)));
    } finally {
      setSaving(false);
    }
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
        <fieldset className="conditions-editor">
          <legend>Conditions (all must hold)</legend>
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
          {rows.map((r, i) => (
            <fieldset className="condition" key={r.key} data-testid={`condition-${i}`}>
              <legend className="visually-hidden">Condition {i + 1}</legend>
              <Field label="Field" error={firstError(errors, `conditions[${i}].field`)}>
                {(control) => <input {...control} type="text" value={r.field} onChange={(e) => change(r.key, { field: e.target.value })} />}
              </Field>
              <Field label="Operator" error={firstError(errors, `conditions[${i}].operator`)} className="condition__operator">
                {(control) => (
                  <select {...control} value={r.operator} onChange={(e) => change(r.key, { operator: e.target.value as ConditionOperator })}>
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
                    onChange={(e) => change(r.key, { valueText: e.target.value })}
                  />
                )}
              </Field>
              <button type="button" className="button button--icon condition__remove" aria-label={`Remove condition ${i + 1}`} title="Remove" onClick={() => setRows((rs) => rs.filter((x) => x.key !== r.key))}>
                ×
              </button>
            </fieldset>
          ))}
          {firstError(errors, 'conditions') ? <p className="field__error">{firstError(errors, 'conditions')}</p> : null}
          <button type="button" className="button button--small" onClick={() => setRows((rs) => [...rs, row()])}>
            <span aria-hidden="true">+</span> Add condition
          </button>
        </fieldset>
        <ProblemAlert problem={failure.problem} unplaced={failure.unplaced} />
        <div className="form-actions">
          <button type="submit" className="button button--primary" disabled={saving}>
            {saving ? 'Saving…' : editing ? 'Save' : 'Create device set'}
          </button>
          <Link className="button" to={editing ? { page: 'device-set', id } : { page: 'device-sets' }}>
            Cancel
          </Link>
        </div>
      </form>
    </>
  );
}
