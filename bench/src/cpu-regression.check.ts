/** The figure the CI bench stage compares against, from its marked line in docs/benchmarks.md. */
export interface CiBaseline {
  /** Fleetjobs' CPU ms per device operation, without the simulator (services + PostgreSQL + Kafka). */
  cpuMsPerOp: number;
  devices: number;
  operation: string;
  topology: string;
}

export interface RegressionVerdict {
  passed: boolean;
  /** measured / baseline */
  ratio: number;
  /** The highest figure that still passes. */
  limit: number;
  message: string;
}

const MARKER = /<!--\s*ci-baseline:([^>]*)-->/;

/**
 * Reads `<!-- ci-baseline: cpu-ms-per-op=<ms> devices=<n> [operation=property] [topology=distributed] -->`.
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
  };
}

/**
 * Fails when the measured CPU per device operation exceeds the baseline by more than `tolerance`
 * (0.5: up to 1.5 × the baseline passes). A measurement that is not a positive number fails: a
 * bench that measured nothing proves nothing.
 */
export function judgeCpuRegression(baselineMsPerOp: number, measuredMsPerOp: number, tolerance = 0.5): RegressionVerdict {
  const limit = baselineMsPerOp * (1 + tolerance);
  const ratio = measuredMsPerOp / baselineMsPerOp;
  if (!Number.isFinite(measuredMsPerOp) || measuredMsPerOp <= 0) {
    return { passed: false, ratio, limit, message: `no usable measurement (${measuredMsPerOp}); baseline ${baselineMsPerOp} ms` };
  }
  const figures = `${measuredMsPerOp.toFixed(3)} ms per device op against a baseline of ${baselineMsPerOp} ms (limit ${limit.toFixed(3)} ms, ${(ratio * 100).toFixed(0)} %)`;
  return measuredMsPerOp > limit
    ? { passed: false, ratio, limit, message: `CPU per device op regressed: ${figures}` }
    : { passed: true, ratio, limit, message: `CPU per device op within bounds: ${figures}` };
}
