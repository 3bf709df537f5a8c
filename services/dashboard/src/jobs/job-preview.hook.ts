import { useEffect, useRef, useState } from 'react';
import { ApiProblem, asApiProblem } from '../api/api-problem';
import { fleetjobsApi } from '../api/fleetjobs-api.client';
import { JobPreview, NewJob } from '../api/fleetjobs-api.types';

/** How long the form must rest before it is previewed: typing does not send a request per key. */
export const PREVIEW_DEBOUNCE_MS = 400;

export type PreviewState =
  | { kind: 'idle' }
  | { kind: 'loading'; previous?: JobPreview }
  | { kind: 'ready'; preview: JobPreview }
  | { kind: 'refused'; problem: ApiProblem };

/**
 * Previews `body` once it has not changed for `PREVIEW_DEBOUNCE_MS`; null (an incomplete form)
 * previews nothing. An answer for a body since changed is dropped.
 */
export function useJobPreview(body: NewJob | null, debounceMs = PREVIEW_DEBOUNCE_MS): PreviewState {
  const [state, setState] = useState<PreviewState>({ kind: 'idle' });
  const latest = useRef(0);
  const key = body ? JSON.stringify(body) : null;

  useEffect(() => {
    const request = ++latest.current;
    if (!body) {
      setState({ kind: 'idle' });
      return;
    }
    setState((previous) => ({ kind: 'loading', previous: previous.kind === 'ready' ? previous.preview : previous.kind === 'loading' ? previous.previous : undefined }));
    const timer = setTimeout(() => {
      fleetjobsApi.previewJob(body).then(
        (preview) => request === latest.current && setState({ kind: 'ready', preview }),
        (error: unknown) => request === latest.current && setState({ kind: 'refused', problem: asApiProblem(error) }),
      );
    }, debounceMs);
    return () => clearTimeout(timer);
    // The body's JSON says when it changed; a new object with the same content is the same body.
  }, [key, debounceMs]);

  useEffect(() => () => void (latest.current += 1), []);
  return state;
}
