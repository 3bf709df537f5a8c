import { useId } from 'react';
import { Capability, OPERATION_TYPES, OperationType } from '../api/fleetjobs-api.types';
import { capitalize } from '../shared/format';
import { firstError } from '../api/field-errors';
import { FieldErrors, newOperationRow } from './new-job-form';
import { OperationEditor, OperationRow } from './operation-editor.component';

interface JobOperationsProps {
  type: OperationType | '';
  operations: OperationRow[];
  /** Every capability of the set's template; `null` while no template is known. */
  capabilities: Capability[] | null;
  templateName: string | null;
  /** Why no capabilities are offered, when there are none to offer. */
  unavailable?: string;
  errors: FieldErrors;
  onTypeChange: (type: OperationType) => void;
  onOperationsChange: (operations: OperationRow[]) => void;
}

const PLURAL: Record<OperationType, string> = { property: 'properties', setting: 'settings', command: 'commands' };

/** The job type and its operations, each one of the template's capabilities of that type. */
export function JobOperations({ type, operations, capabilities, templateName, unavailable, errors, onTypeChange, onOperationsChange }: JobOperationsProps) {
  const id = useId();
  const ofType = (capabilities ?? []).filter((c) => c.kind === type);
  const typeError = firstError(errors, 'type');
  const operationsError = firstError(errors, 'operations');
  const canAdd = Boolean(type) && ofType.length > 0;

  return (
    <>
      <fieldset className="field radio-group" aria-describedby={typeError ? `${id}-type-error` : undefined}>
        <legend>
          Job type<span className="field__required" aria-hidden="true"> *</span>
        </legend>
        <div className="radio-group__options">
          {OPERATION_TYPES.map((t) => (
            <label key={t} className="radio">
              <input type="radio" name={`${id}-type`} value={t} checked={type === t} onChange={() => onTypeChange(t)} />
              {capitalize(t)}
            </label>
          ))}
        </div>
        {typeError ? (
          <p id={`${id}-type-error`} className="field__error">
            {typeError}
          </p>
        ) : null}
      </fieldset>

      <section className="operations" aria-labelledby={`${id}-ops`}>
        <div className="operations__header">
          <h2 id={`${id}-ops`}>Operations</h2>
          <button
            type="button"
            className="button button--small"
            onClick={() => onOperationsChange([...operations, newOperationRow()])}
            disabled={!canAdd}
          >
            <span aria-hidden="true">+</span> Add operation
          </button>
        </div>
        {!capabilities ? (
          <p className="muted">{unavailable ?? 'Choose a device set to see what its template offers.'}</p>
        ) : !type ? (
          <p className="muted">Choose the job type to add operations.</p>
        ) : ofType.length === 0 ? (
          <p className="muted">The template {templateName ?? ''} has no {PLURAL[type]}.</p>
        ) : operations.length === 0 ? (
          <p className="muted">No operations yet. Add one with +.</p>
        ) : null}
        {operations.map((row, index) => (
          <OperationEditor
            key={row.key}
            index={index}
            type={type || 'setting'}
            row={row}
            capabilities={ofType}
            errors={{
              name: firstError(errors, `operations[${index}].name`),
              value: firstError(errors, `operations[${index}].value`),
              row: firstError(errors, `operations[${index}]`),
            }}
            onChange={(changed) => onOperationsChange(operations.map((r) => (r.key === changed.key ? changed : r)))}
            onRemove={() => onOperationsChange(operations.filter((r) => r.key !== row.key))}
          />
        ))}
        {operationsError ? <p className="field__error">{operationsError}</p> : null}
      </section>
    </>
  );
}
