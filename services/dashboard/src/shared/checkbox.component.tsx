import { InputHTMLAttributes, useEffect, useRef } from 'react';
import { CheckState } from '../devices/device-selection';

type CheckboxProps = Omit<InputHTMLAttributes<HTMLInputElement>, 'type' | 'checked'> & { state: CheckState };

/** A checkbox that can also show "some chosen" (the indeterminate state, read out as mixed). */
export function Checkbox({ state, ...rest }: CheckboxProps) {
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (input.current) input.current.indeterminate = state === 'mixed';
  }, [state]);
  return <input ref={input} type="checkbox" checked={state === 'checked'} {...rest} />;
}
