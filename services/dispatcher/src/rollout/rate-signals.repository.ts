import { FailureKind } from '@fleetjobs/contracts';
import { SqlExecutor } from '@fleetjobs/persistence-pg';
import { classifyFailure } from '@fleetjobs/rollout';
import { DISPATCHER_SCHEMA as S } from '../dispatcher.schema';
import { DeviceOutcome, DeviceRelease } from '../work/dispatch-events';
import { speaksOfLoad } from './rollout-rate.decider';

/** What one device's run told of the hub and the device, beside its outcome. */
export interface RunSignals {
  /** 429s the hub answered this device's requests. */
  throttled: number;
  /** Time spent in the hub and the device, time waiting for our own gate left out; null when nothing was sent. */
  latencyMs: number | null;
}

interface JobSignals {
  outcomes: number;
  failed: number;
  throttled: number;
  latencyMsSum: number;
  timed: number;
}

/**
 * Adds what recorded outcomes and hand-backs said to their jobs' signal counters, in the
 * transaction that records them; the rollout round judges the counters and clears them. Only
 * rollout jobs keep counters. A hand-back after a failure (a retry) counts like an outcome.
 */
export async function recordRateSignals(
  tx: SqlExecutor,
  outcomes: { outcome: DeviceOutcome; kind: FailureKind | null }[],
  releases: DeviceRelease[] = [],
): Promise<void> {
  const byJob = new Map<string, JobSignals>();
  const of = (jobId: string) => {
    let signals = byJob.get(jobId);
    if (!signals) byJob.set(jobId, (signals = { outcomes: 0, failed: 0, throttled: 0, latencyMsSum: 0, timed: 0 }));
    return signals;
  };
  for (const { outcome, kind } of outcomes) {
    const signals = of(outcome.jobId);
    signals.outcomes += 1;
    if (!outcome.ok && speaksOfLoad(kind)) signals.failed += 1;
    signals.throttled += outcome.signals?.throttled ?? 0;
    if (outcome.signals?.latencyMs != null) {
      signals.latencyMsSum += outcome.signals.latencyMs;
      signals.timed += 1;
    }
  }
  for (const release of releases) {
    if (!release.throttled && !(release.counted && release.error)) continue;
    const signals = of(release.jobId);
    signals.throttled += release.throttled ?? 0;
    if (release.counted && release.error) {
      signals.outcomes += 1;
      if (speaksOfLoad(classifyFailure(release.error))) signals.failed += 1;
    }
  }
  if (byJob.size === 0) return;
  // In job order, like every other writer of several job rows, so that none waits on another in a cycle.
  const jobs = [...byJob.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  await tx.query(
    `UPDATE ${S}.jobs j SET signal_outcomes = j.signal_outcomes + v.outcomes, signal_failed = j.signal_failed + v.failed,
       signal_throttled = j.signal_throttled + v.throttled, signal_latency_ms = j.signal_latency_ms + v.latency, signal_timed = j.signal_timed + v.timed
     FROM unnest($1::text[], $2::int[], $3::int[], $4::int[], $5::double precision[], $6::int[]) AS v(job_id, outcomes, failed, throttled, latency, timed)
     WHERE j.job_id = v.job_id AND j.rollout IS NOT NULL`,
    [
      jobs.map(([jobId]) => jobId),
      jobs.map(([, signals]) => signals.outcomes),
      jobs.map(([, signals]) => signals.failed),
      jobs.map(([, signals]) => signals.throttled),
      jobs.map(([, signals]) => signals.latencyMsSum),
      jobs.map(([, signals]) => signals.timed),
    ],
  );
}

/** A device's run result with what its gate heard: 429s, and device latency when something was sent. */
export function withRunSignals<T extends { kind: string }>(
  result: T,
  gate: { throttles: number; waitedMs: number; mayHaveSent: boolean },
  elapsedMs: number,
): T {
  if (result.kind === 'outcome') {
    const { outcome } = result as unknown as { outcome: DeviceOutcome };
    const latencyMs = gate.mayHaveSent || outcome.ok ? Math.max(0, elapsedMs - gate.waitedMs) : null;
    return { ...result, outcome: { ...outcome, signals: { throttled: gate.throttles, latencyMs } } };
  }
  if (result.kind === 'release' && gate.throttles > 0) {
    const { release } = result as unknown as { release: DeviceRelease };
    return { ...result, release: { ...release, throttled: gate.throttles } };
  }
  return result;
}
