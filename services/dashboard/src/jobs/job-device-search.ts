import { fleetjobsApi } from '../api/fleetjobs-api.client';
import { JobDevice, JobDeviceStatus } from '../api/fleetjobs-api.types';

export const SEARCH_MATCH_LIMIT = 50;
const SEARCH_PAGE = 1000;

export interface SearchProgress {
  matches: JobDevice[];
  scanned: number;
  done: boolean;
  /** True when more devices match than are shown. */
  truncated: boolean;
}

/**
 * Finds the devices of a job whose id contains `text`. The API lists a job's devices page by
 * page, so the pages are read in turn; only the matches are kept, and at most 50 of them.
 */
export async function searchJobDevices(
  jobId: string,
  text: string,
  status: JobDeviceStatus | '',
  onProgress: (progress: SearchProgress) => void,
  signal: { cancelled: boolean },
): Promise<void> {
  const needle = text.trim().toLowerCase();
  const matches: JobDevice[] = [];
  let scanned = 0;
  let cursor: string | null = null;
  do {
    const page = await fleetjobsApi.listJobDevices(jobId, { status, limit: SEARCH_PAGE, cursor });
    if (signal.cancelled) return;
    scanned += page.value.length;
    for (const device of page.value) {
      if (!device.deviceId.toLowerCase().includes(needle)) continue;
      if (matches.length === SEARCH_MATCH_LIMIT) {
        onProgress({ matches: [...matches], scanned, done: true, truncated: true });
        return;
      }
      matches.push(device);
    }
    cursor = page.nextCursor;
    onProgress({ matches: [...matches], scanned, done: !cursor, truncated: false });
  } while (cursor);
}
