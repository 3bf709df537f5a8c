import { useMemo, useSyncExternalStore } from 'react';
import { hrefOf, parseRoute, Route } from './routes';

function subscribe(onChange: () => void): () => void {
  window.addEventListener('hashchange', onChange);
  return () => window.removeEventListener('hashchange', onChange);
}

function currentHash(): string {
  return window.location.hash;
}

/** The screen the URL hash names; re-renders on every hash change. */
export function useRoute(): Route {
  const hash = useSyncExternalStore(subscribe, currentHash, () => '');
  return useMemo(() => parseRoute(hash), [hash]);
}

export function navigate(route: Route): void {
  window.location.hash = hrefOf(route).slice(1);
}
