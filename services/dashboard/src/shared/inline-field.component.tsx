import { ReactNode, useId } from 'react';

/** A filter control with its label on the same line. */
export function InlineField({ label, children }: { label: string; children: (id: string) => ReactNode }) {
  const id = useId();
  return (
    <span className="inline-field">
      <label htmlFor={id}>{label}</label>
      {children(id)}
    </span>
  );
}
