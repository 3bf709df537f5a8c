import { useEffect, useState } from 'react';
import { fleetjobsApi } from '../api/fleetjobs-api.client';

const COUNTING_PAGE = 1000;

/**
 * The number of devices a set holds now. The API answers members page by page, so they are
 * counted by walking the pages; only the running total is kept.
 */
export function useSetSize(deviceSetId: string | null): { size: number | null; counting: boolean } {
  const [state, setState] = useState<{ size: number | null; counting: boolean }>({ size: null, counting: false });

  useEffect(() => {
    if (!deviceSetId) {
      setState({ size: null, counting: false });
      return;
    }
    let cancelled = false;
    setState({ size: null, counting: true });
    (async () => {
      let size = 0;
      let cursor: string | null = null;
      do {
        const page = await fleetjobsApi.listDeviceSetMembers(deviceSetId, { limit: COUNTING_PAGE, cursor });
        if (cancelled) return;
        size += page.value.length;
        cursor = page.nextCursor;
      } while (cursor);
      setState({ size, counting: false });
    })().catch(() => !cancelled && setState({ size: null, counting: false }));
    return () => {
      cancelled = true;
    };
  }, [deviceSetId]);

  return state;
}
