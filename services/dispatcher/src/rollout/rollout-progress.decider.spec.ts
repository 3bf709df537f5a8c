import { normalizeRollout } from '@fleetjobs/rollout';
import { decideRolloutProgress, RolloutProgressInput } from './rollout-progress.decider';

const NOW = '2026-01-01T00:00:00.000Z';
const aJob = (overrides: Partial<RolloutProgressInput> = {}): RolloutProgressInput => ({
  rollout: normalizeRollout({ batches: { size: 10 }, successGate: { percent: 90 } }),
  targetsComplete: true,
  targetsTotal: 40,
  currentBatch: 0,
  pausedUntil: null,
  ratePerMinute: null,
  job: { executed: 10, completed: 10, failed: 0 },
  batch: { executed: 10, completed: 10, failed: 0 },
  now: NOW,
  ...overrides,
});

describe('decideRolloutProgress', () => {
  it('given a finished batch that reached its gate, when judged, then the next batch starts', () => {
    expect(decideRolloutProgress(aJob())).toMatchObject({ kind: 'carry-on', currentBatch: 1, pausedUntil: null, ratePerMinute: null });
  });

  it('given a batch that can no longer reach its gate, when judged, then the job halts with the gate\'s reason', () => {
    const progress = decideRolloutProgress(aJob({ currentBatch: 1, batch: { executed: 2, completed: 0, failed: 2 } }));
    expect(progress).toEqual({
      kind: 'halt',
      reason: 'batch 2 can no longer reach its 90 % success gate: 2 of 10 devices failed, at most 80 % can complete',
      cause: 'gate',
    });
  });

  it('given the last batch, when it ends, then there is no batch after it', () => {
    expect(decideRolloutProgress(aJob({ currentBatch: 3 }))).toMatchObject({ kind: 'carry-on', currentBatch: 3 });
  });

  it('given an abort rule that trips, when judged, then the job halts before any gate is asked', () => {
    const rollout = normalizeRollout({ batches: { size: 10 }, abort: [{ failed: { percent: 10 } }] });
    const progress = decideRolloutProgress(aJob({ rollout, job: { executed: 5, completed: 4, failed: 1 }, batch: { executed: 5, completed: 4, failed: 1 } }));
    expect(progress).toEqual({ kind: 'halt', reason: 'aborted: 20 % failed > 10 % after 5 devices', cause: 'abort' });
  });

  it('given a pause between batches, when the batch ends, then the pause is kept and the batch stays', () => {
    const rollout = normalizeRollout({ batches: { size: 10 }, pauseBetweenSeconds: 5 });
    expect(decideRolloutProgress(aJob({ rollout }))).toMatchObject({
      kind: 'carry-on',
      currentBatch: 0,
      pausedUntil: '2026-01-01T00:00:05.000Z',
      ratePerMinute: null,
    });
  });

  it('given a ramp, when successes arrive, then the rate follows the successes', () => {
    const rollout = normalizeRollout({ rate: { perMinute: 60, ramp: { startPerMinute: 15, afterSuccesses: 2 } } });
    const after = (completed: number) =>
      decideRolloutProgress(aJob({ rollout, ratePerMinute: 15, job: { executed: completed, completed, failed: 0 }, batch: null }));
    expect([after(1), after(2), after(4), after(9)].map((progress) => progress.kind === 'carry-on' && progress.ratePerMinute)).toEqual([15, 30, 60, 60]);
  });

  it('given an adaptive rate whose window saw 429s, when judged, then the rate goes down and says why', () => {
    const rollout = normalizeRollout({ rate: { mode: 'adaptive', minPerMinute: 60, maxPerMinute: 6000 } });
    const progress = decideRolloutProgress(
      aJob({
        rollout,
        batch: null,
        ratePerMinute: 600,
        rateReason: 'healthy: 540 → 600/min',
        signals: { since: '2025-12-31T23:59:57.000Z', outcomes: 20, failed: 0, throttled: 4, latencyMsSum: 2000, timed: 20 },
      }),
    );
    expect(progress).toMatchObject({ kind: 'carry-on', ratePerMinute: 300, rate: { reason: 'throttled by the hub (429): 600 → 300/min', cause: 'throttled' } });
  });
});
