import { useState } from 'react';
import { navigate } from '../routing/hash-location.hook';
import { Route } from '../routing/routes';
import { submitFailure, SubmitFailure } from './submit-errors';

/** The save of an item's form: the errors found before sending, or those the API answered with. */
export interface FormSave {
  errors: Record<string, string[]>;
  failure: Partial<SubmitFailure>;
  saving: boolean;
  /** Shows the errors found in the form; nothing is sent. */
  refuse: (errors: Record<string, string[]>) => void;
  /** Sends with `put`, then goes to `then`; the API's errors land on the `fields` they name. */
  send: (put: () => Promise<unknown>, then: Route, fields: string[]) => Promise<void>;
}

export function useFormSave(): FormSave {
  const [failure, setFailure] = useState<Partial<SubmitFailure>>({});
  const [saving, setSaving] = useState(false);

  const send = async (put: () => Promise<unknown>, then: Route, fields: string[]) => {
    setSaving(true);
    try {
      await put();
      navigate(then);
    } catch (error) {
      setFailure(submitFailure(error, fields));
    } finally {
      setSaving(false);
    }
  };

  return { errors: failure.errors ?? {}, failure, saving, refuse: (errors) => setFailure({ errors }), send };
}
