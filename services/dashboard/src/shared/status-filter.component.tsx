import { capitalize } from './format';
import { InlineField } from './inline-field.component';

interface StatusFilterProps<S extends string> {
  statuses: readonly S[];
  value: S | '';
  onChange: (status: S | '') => void;
}

/** The Status drop-down above a list: All, or one status. */
export function StatusFilter<S extends string>({ statuses, value, onChange }: StatusFilterProps<S>) {
  return (
    <InlineField label="Status">
      {(id) => (
        <select id={id} value={value} onChange={(e) => onChange(e.target.value as S | '')}>
          <option value="">All</option>
          {statuses.map((s) => (
            <option key={s} value={s}>
              {capitalize(s)}
            </option>
          ))}
        </select>
      )}
    </InlineField>
  );
}
