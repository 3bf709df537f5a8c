import { ReactNode, useId } from 'react';

/** What a field's control needs to be labelled and tied to its error. */
export interface ControlProps {
  id: string;
  'aria-invalid': boolean;
  'aria-describedby'?: string;
}

interface FieldProps {
  label: string;
  error?: string;
  hint?: string;
  required?: boolean;
  className?: string;
  children: (control: ControlProps) => ReactNode;
}

/** A labelled form control with its hint and the error the dashboard or the API gives for it. */
export function Field({ label, error, hint, required, className, children }: FieldProps) {
  const id = useId();
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  const describedBy = [errorId, hintId].filter(Boolean).join(' ') || undefined;
  return (
    <div className={`field${error ? ' field--invalid' : ''}${className ? ` ${className}` : ''}`}>
      <label htmlFor={id}>
        {label}
        {required ? <span className="field__required" aria-hidden="true"> *</span> : null}
      </label>
      {children({ id, 'aria-invalid': Boolean(error), 'aria-describedby': describedBy })}
      {hint ? <p id={hintId} className="field__hint">{hint}</p> : null}
      {error ? <FieldErrorText id={errorId!} message={error} /> : null}
    </div>
  );
}

export function FieldErrorText({ id, message }: { id?: string; message: string }) {
  return (
    <p id={id} className="field__error">
      {message}
    </p>
  );
}
