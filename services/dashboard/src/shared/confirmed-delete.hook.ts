import { useState } from 'react';
import { ApiProblem, asApiProblem } from '../api/api-problem';
import { navigate } from '../routing/hash-location.hook';
import { Route } from '../routing/routes';

/** A Delete that first asks; what the API refused it with stays to be shown on the screen. */
export interface ConfirmedDelete {
  asking: boolean;
  busy: boolean;
  problem: ApiProblem | undefined;
  ask: () => void;
  cancel: () => void;
  confirm: () => Promise<void>;
}

/** Runs `remove` once confirmed and then goes to `then`; a refusal closes the question. */
export function useConfirmedDelete(remove: () => Promise<unknown>, then: Route): ConfirmedDelete {
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<ApiProblem>();

  const confirm = async () => {
    setBusy(true);
    try {
      await remove();
      navigate(then);
    } catch (error) {
      setProblem(asApiProblem(error));
      setAsking(false);
    } finally {
      setBusy(false);
    }
  };

  return { asking, busy, problem, ask: () => setAsking(true), cancel: () => setAsking(false), confirm };
}
