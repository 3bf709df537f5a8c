import { readFileSync } from 'node:fs';

/** Peak resident set size of a process (VmHWM), in MiB; null when it is gone. */
export function peakRssMiB(pid: number | undefined): number | null {
  return statusFieldMiB(pid, 'VmHWM');
}

/** Resident set size of a process now (VmRSS), in MiB; null when it is gone. */
export function currentRssMiB(pid: number | undefined): number | null {
  return statusFieldMiB(pid, 'VmRSS');
}

function statusFieldMiB(pid: number | undefined, field: string): number | null {
  if (!pid) return null;
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const match = new RegExp(`${field}:\\s+(\\d+) kB`).exec(status);
    return match ? Math.round(Number(match[1]) / 1024) : null;
  } catch {
    return null;
  }
}
