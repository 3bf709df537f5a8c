/** The figure the CI bench stage compares against, from its marked line in docs/benchmarks.md. */
export interface CiBaseline {
  /** Fleetjobs' CPU ms per device operation, without the simulator (services + PostgreSQL + Kafka). */
  cpuMsPerOp: number;
  devices: number;
  operation: string;
  topology: string;
  /** The reference work's CPU ms on the machine of the baseline (see cpu-calibration.ts); absent: not scaled. */
  calibrationMs?: number;
}

export interface RegressionVerdict {
  passed: boolean;
  /** measured / baseline */
  ratio: number;
  /** The highest figure that still passes. */
  limit: number;
  /** The baseline scaled to this machine: how much slower (> 1) or faster it did the reference work. */
  machineFactor: number;
  message: string;
}

const MARKER = /<!--\s*ci-baseline:([^>]*)-->/;

/**
 * Reads `<!-- ci-baseline: cpu-ms-per-op=<ms> devices=<n> [operation=property] [topology=distributed] [calibration-ms=<ms>] -->`.
 * Exactly one such line is expected; anything missing or not a positive number is an error.
 */
export function parseCiBaseline(markdown: string): CiBaseline {
  const matches = markdown.match(new RegExp(MARKER.source, 'g')) ?? [];
  if (matches.length !== 1) throw new Error(`expected exactly one "<!-- ci-baseline: ... -->" line, found ${matches.length}`);
  const fields = new Map(
    (MARKER.exec(matches[0])?.[1] ?? '')
      .trim()
      .split(/\s+/)
      .map((pair) => pair.split('=') as [string, string]),
  );
  const positive = (name: string) => {
    const value = Number(fields.get(name));
    if (!Number.isFinite(value) || value <= 0) throw new Error(`ci-baseline: ${name} must be a positive number, not ${fields.get(name)}`);
    return value;
  };
  return {
    cpuMsPerOp: positive('cpu-ms-per-op'),
    devices: positive('devices'),
    operation: fields.get('operation') ?? 'property',
    topology: fields.get('topology') ?? 'distributed',
    ...(fields.has('calibration-ms') ? { calibrationMs: positive('calibration-ms') } : {}),
  };
}

/** How this machine compares with the baseline's: the reference work's CPU now over then. */
export interface MachineCalibration {
  baselineMs: number;
  measuredMs: number;
}

/**
 * Fails when the measured CPU per device operation exceeds the baseline by more than `tolerance`
 * (0.5: up to 1.5 × the baseline passes). With a calibration the baseline is first scaled by how
 * much slower or faster this machine did the same reference work, so that the verdict is about the
 * code, not about the machine it ran on. A measurement that is not a positive number fails: a bench
 * that measured nothing proves nothing.
 */
export function judgeCpuRegression(baselineMsPerOp: number, measuredMsPerOp: number, tolerance = 0.5, calibration?: MachineCalibration): RegressionVerdict {
  const machineFactor = calibration ? calibration.measuredMs / calibration.baselineMs : 1;
  const scaledBaseline = baselineMsPerOp * machineFactor;
  const limit = scaledBaseline * (1 + tolerance);
  const ratio = measuredMsPerOp / scaledBaseline;
  if (!Number.isFinite(machineFactor) || machineFactor <= 0) {
    return { passed: false, ratio, limit, machineFactor, message: `no usable calibration (${JSON.stringify(calibration)})` };
  }
  if (!Number.isFinite(measuredMsPerOp) || measuredMsPerOp <= 0) {
    return { passed: false, ratio, limit, machineFactor, message: `no usable measurement (${measuredMsPerOp}); baseline ${baselineMsPerOp} ms` };
  }
  const scaled = calibration
    ? `${baselineMsPerOp} ms × ${machineFactor.toFixed(2)} for this machine (reference work ${calibration.measuredMs.toFixed(1)} ms here, ${calibration.baselineMs} ms then) = ${scaledBaseline.toFixed(3)} ms`
    : `${baselineMsPerOp} ms`;
  const figures = `${measuredMsPerOp.toFixed(3)} ms per device op against a baseline of ${scaled} (limit ${limit.toFixed(3)} ms, ${(ratio * 100).toFixed(0)} %)`;
  return measuredMsPerOp > limit
    ? { passed: false, ratio, limit, machineFactor, message: `CPU per device op regressed: ${figures}` }
    : { passed: true, ratio, limit, machineFactor, message: `CPU per device op within bounds: ${figures}` };
}
