import type { FailureKind } from '@fleetjobs/contracts';
import type { NormalizedAbortRule } from './normalize-rollout';

/** Outcomes in one scope (the whole job, or the current batch). */
export interface ScopeCounts {
  /** Devices with an outcome. */
  executed: number;
  failed: number;
  /** Failures by kind; needed only by rules that name kinds. */
  byKind?: Partial<Record<FailureKind, number>>;
}

export interface AbortCounts {
  job: ScopeCounts;
  /** The current batch; rules of scope `batch` are not judged without it. */
  batch?: ScopeCounts & { index: number };
}

export interface AbortVerdict {
  rule: NormalizedAbortRule;
  /** For the job's error, e.g. "aborted: 12 % failed > 10 % after 500 devices". */
  reason: string;
}

/**
 * The first rule that trips, or null. A percent rule trips above its threshold once at least
 * `minExecuted` devices of its scope have an outcome; a count rule trips when that many failed.
 * A rule naming kinds counts only failures of those kinds.
 */
export function evaluateAbort(rules: readonly NormalizedAbortRule[], counts: AbortCounts): AbortVerdict | null {
  for (const rule of rules) {
    const scope = rule.scope === 'batch' ? counts.batch : counts.job;
    if (!scope) continue;
    const failed = rule.kinds ? rule.kinds.reduce((sum, kind) => sum + (scope.byKind?.[kind] ?? 0), 0) : scope.failed;
    const what = rule.kinds ? `failed (${rule.kinds.join(', ')})` : 'failed';
    const where = rule.scope === 'batch' && counts.batch ? ` in batch ${counts.batch.index + 1}` : '';
    if ('count' in rule.failed) {
      if (failed >= rule.failed.count) {
        return { rule, reason: `aborted: ${failed} devices ${what} ≥ ${rule.failed.count} after ${scope.executed} devices${where}` };
      }
      continue;
    }
    if (scope.executed === 0 || scope.executed < rule.minExecuted) continue;
    const percent = (failed / scope.executed) * 100;
    if (percent > rule.failed.percent) {
      return { rule, reason: `aborted: ${round(percent)} % ${what} > ${rule.failed.percent} % after ${scope.executed} devices${where}` };
    }
  }
  return null;
}

const round = (value: number) => String(Math.round(value * 10) / 10);
