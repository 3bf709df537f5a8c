import { DependencyList, useCallback, useEffect, useRef, useState } from 'react';
import { ApiProblem, asApiProblem } from '../api/api-problem';

export interface Loaded<T> {
  data: T | undefined;
  problem: ApiProblem | undefined;
  loading: boolean;
  reload: () => void;
}

/** Loads data whenever `deps` change; an answer that arrives after newer deps is dropped. */
export function useLoad<T>(load: () => Promise<T>, deps: DependencyList): Loaded<T> {
  const [state, setState] = useState<{ data?: T; problem?: ApiProblem; loading: boolean }>({ loading: true });
  const [reloads, setReloads] = useState(0);
  const latest = useRef(0);

  useEffect(() => {
    const request = ++latest.current;
    setState((previous) => ({ ...previous, loading: true }));
    load().then(
      (data) => request === latest.current && setState({ data, loading: false }),
      (error: unknown) => request === latest.current && setState({ problem: asApiProblem(error), loading: false }),
    );
    // `load` is a new closure on every render; the caller's deps say when it reads something else.
  }, [...deps, reloads]);

  useEffect(() => () => void (latest.current += 1), []);

  const reload = useCallback(() => setReloads((n) => n + 1), []);
  return { data: state.data, problem: state.problem, loading: state.loading, reload };
}
