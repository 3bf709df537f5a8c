import { Capability, OperationType } from '../api/fleetjobs-api.types';
import { Field } from '../shared/field.component';
import { initialValueText } from './operation-value';

/** One operation as the form edits it: the capability's name and the value as typed. */
export interface OperationRow {
  key: number;
  name: string;
  valueText: string;
}

interface OperationEditorProps {
  index: number;
  type: OperationType;
  row: OperationRow;
  /** The template's capabilities of the job's type. */
  capabilities: Capability[];
  errors: { name?: string; value?: string; row?: string };
  onChange: (row: OperationRow) => void;
  onRemove: () => void;
}

const TYPE_WORD: Record<OperationType, string> = { property: 'Property', setting: 'Setting', command: 'Command' };

/** One operation of a new job: a capability of the template and a value input fitting its schema. */
export function OperationEditor({ index, type, row, capabilities, errors, onChange, onRemove }: OperationEditorProps) {
  const capability = capabilities.find((c) => c.name === row.name);
  const number = index + 1;
  return (
    <fieldset className="operation" data-testid={`operation-${index}`}>
      <legend className="operation__legend">Operation {number}</legend>
      <Field label={TYPE_WORD[type]} error={errors.name} required className="operation__name">
        {(control) => (
          <select
            {...control}
            value={row.name}
            onChange={(event) => {
              const chosen = capabilities.find((c) => c.name === event.target.value);
              onChange({ ...row, name: event.target.value, valueText: chosen ? initialValueText(chosen.schema) : '' });
            }}
          >
            <option value="">Choose…</option>
            {capabilities.map((c) => (
              <option key={c.name} value={c.name}>
                {c.name} ({c.schema})
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field
        label="Value"
        error={errors.value}
        hint={capability?.schema === 'object' ? 'A JSON object' : undefined}
        className="operation__value"
      >
        {(control) => <ValueInput control={control} schema={capability?.schema} text={row.valueText} onText={(valueText) => onChange({ ...row, valueText })} />}
      </Field>
      <button type="button" className="button button--icon operation__remove" onClick={onRemove} aria-label={`Remove operation ${number}`} title="Remove">
        ×
      </button>
      {errors.row ? <p className="field__error operation__row-error">{errors.row}</p> : null}
    </fieldset>
  );
}

interface ValueInputProps {
  control: { id: string; 'aria-invalid': boolean; 'aria-describedby'?: string };
  schema: Capability['schema'] | undefined;
  text: string;
  onText: (text: string) => void;
}

function ValueInput({ control, schema, text, onText }: ValueInputProps) {
  switch (schema) {
    case undefined:
      return <input {...control} type="text" disabled placeholder="Choose an operation first" value="" />;
    case 'number':
      return <input {...control} type="text" inputMode="decimal" value={text} onChange={(e) => onText(e.target.value)} />;
    case 'boolean':
      return (
        <select {...control} value={text} onChange={(e) => onText(e.target.value)}>
          <option value="">Choose…</option>
          <option value="true">true</option>
          <option value="false">false</option>
        </select>
      );
    case 'object':
      return <textarea {...control} rows={2} spellCheck={false} className="mono" value={text} onChange={(e) => onText(e.target.value)} />;
    case 'string':
      return <input {...control} type="text" value={text} onChange={(e) => onText(e.target.value)} />;
  }
}
