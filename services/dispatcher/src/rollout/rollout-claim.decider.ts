import { MaintenanceWindow, openTimeZones } from '@fleetjobs/contracts';
import { NormalizedRollout, planBatches } from '@fleetjobs/rollout';

/** A job's row as a claim sees it. */
export interface RolloutClaimInput {
  rollout: NormalizedRollout | null;
  targetsComplete: boolean;
  targetsTotal: number | null;
  currentBatch: number;
  pausedUntil: string | null;
  /** The job's maintenance windows; null: it may start devices at any time. */
  windows?: MaintenanceWindow[] | null;
  /** The distinct zones of the job's devices, which its `device` windows are judged in. */
  timeZones?: readonly string[] | null;
  /** Whole tokens of the job's rate available now; null when the job has no rate. */
  tokens: number | null;
  /** The share of this claim every job gets. */
  fairShare: number;
  now: string;
}

/** How many of the job's devices a claim may take, and from which indexes in its target order. */
export interface RolloutClaimWindow {
  limit: number;
  /** Device indexes `from` (inclusive) to `to` (exclusive); null: any device. */
  from: number | null;
  to: number | null;
  /** Only devices in these zones (a job with `device` windows); absent: devices in any zone. */
  zones?: string[];
}

/**
 * A job without batches or rate takes its fair share of any of its devices. A job in batches
 * takes devices of its current batch only, once its targets are all known (the batches are cut
 * from the total) and not during a pause; a rated job takes no more than its tokens. A job with
 * maintenance windows takes none outside them: its devices stay pending until one opens. Its
 * `device` windows are judged once per zone of its devices, and it takes devices of the zones
 * where one is open.
 */
export function decideRolloutClaim(input: RolloutClaimInput): RolloutClaimWindow {
  const zones = openTimeZones(input.windows, input.timeZones ?? [], new Date(input.now));
  if (zones !== null && zones.length === 0) return { limit: 0, from: null, to: null };
  const window = decideWithinWindows(input);
  return zones === null ? window : { ...window, zones };
}

function decideWithinWindows(input: RolloutClaimInput): RolloutClaimWindow {
  const { rollout, fairShare } = input;
  const limit = input.tokens === null ? fairShare : Math.max(0, Math.min(fairShare, Math.floor(input.tokens)));
  if (!rollout?.batches) return { limit, from: null, to: null };
  const none = { limit: 0, from: null, to: null };
  if (!input.targetsComplete || input.targetsTotal === null) return none;
  if (input.pausedUntil !== null && Date.parse(input.pausedUntil) > Date.parse(input.now)) return none;
  const plan = planBatches(input.targetsTotal, rollout.batches);
  if (input.currentBatch >= plan.count) return none;
  const batch = plan.batch(input.currentBatch);
  return { limit, from: batch.start, to: batch.end };
}

/** The rate a rated job starts at: the ramp's start, or its cap. */
export function startRatePerMinute(rollout: NormalizedRollout): number | null {
  const rate = rollout.rate;
  if (!rate) return null;
  if (rate.mode === 'adaptive') return rate.startPerMinute;
  return rate.ramp ? Math.min(rate.perMinute, rate.ramp.startPerMinute) : rate.perMinute;
}
