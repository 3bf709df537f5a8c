import { useEffect, useState } from 'react';
import { CronReader, loadCronReader } from './recurrence-preview';

let loading: Promise<CronReader> | undefined;
let loaded: CronReader | undefined;

/**
 * The cron reader once its chunk has arrived: null until then, and for good when it cannot be
 * loaded (the form then shows the expression without its next runs).
 */
export function useCronReader(): CronReader | null {
  const [reader, setReader] = useState<CronReader | null>(() => loaded ?? null);
  useEffect(() => {
    if (reader) return;
    let live = true;
    loading ??= loadCronReader().then((read) => (loaded = read));
    loading.then(
      (read) => live && setReader(() => read),
      () => undefined,
    );
    return () => void (live = false);
  }, [reader]);
  return reader;
}
