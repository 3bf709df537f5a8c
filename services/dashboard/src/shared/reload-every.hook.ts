import { useEffect } from 'react';

/** Calls `reload` every `ms` while the tab is visible, for screens that follow changes the API makes by itself. */
export function useReloadEvery(reload: () => void, ms: number): void {
  useEffect(() => {
    const timer = setInterval(() => document.visibilityState !== 'hidden' && reload(), ms);
    return () => clearInterval(timer);
  }, [reload, ms]);
}
