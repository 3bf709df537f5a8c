import { Dispatch, ReactNode, SetStateAction } from 'react';
import { capitalize } from './format';

interface RowsEditorProps<R extends { key: number }> {
  legend: string;
  /** One row in words, as in "Condition 2", "Remove condition 2" and "Add condition". */
  noun: string;
  rows: R[];
  setRows: Dispatch<SetStateAction<R[]>>;
  newRow: () => R;
  /** An error about the rows as a whole, such as none at all. */
  error?: string;
  /** What stands above the rows: a hint, a list of suggestions. */
  intro?: ReactNode;
  /** The fields of one row; `change` merges a patch into it. */
  children: (row: R, index: number, change: (patch: Partial<R>) => void) => ReactNode;
}

/** Rows a form adds and removes, each a group of fields with its own Remove button. */
export function RowsEditor<R extends { key: number }>({ legend, noun, rows, setRows, newRow, error, intro, children }: RowsEditorProps<R>) {
  const change = (key: number) => (patch: Partial<R>) => setRows((rs) => rs.map((r) => (r.key === key ? { ...r, ...patch } : r)));
  return (
    <fieldset className="conditions-editor">
      <legend>{legend}</legend>
      {intro}
      {rows.map((r, i) => (
        <fieldset className="condition" key={r.key} data-testid={`${noun}-${i}`}>
          <legend className="visually-hidden">
            {capitalize(noun)} {i + 1}
          </legend>
          {children(r, i, change(r.key))}
          <button
            type="button"
            className="button button--icon condition__remove"
            aria-label={`Remove ${noun} ${i + 1}`}
            title="Remove"
            onClick={() => setRows((rs) => rs.filter((x) => x.key !== r.key))}
          >
            ×
          </button>
        </fieldset>
      ))}
      {error ? <p className="field__error">{error}</p> : null}
      <button type="button" className="button button--small" onClick={() => setRows((rs) => [...rs, newRow()])}>
        <span aria-hidden="true">+</span> Add {noun}
      </button>
    </fieldset>
  );
}
