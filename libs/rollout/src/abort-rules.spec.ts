import { evaluateAbort } from './abort-rules';
import { NormalizedAbortRule } from './normalize-rollout';

const aRule = (overrides: Partial<NormalizedAbortRule> = {}): NormalizedAbortRule => ({
  failed: { percent: 10 },
  minExecuted: 100,
  scope: 'job',
  kinds: null,
  ...overrides,
});

describe('evaluateAbort', () => {
  it('given a percent rule, when the failed share exceeds it after the minimum, then the job aborts with the figures', () => {
    const verdict = evaluateAbort([aRule()], { job: { executed: 500, failed: 60 } });
    expect(verdict?.reason).toBe('aborted: 12 % failed > 10 % after 500 devices');
  });

  it('given a percent rule, when the failed share equals it, then nothing trips', () => {
    expect(evaluateAbort([aRule()], { job: { executed: 500, failed: 50 } })).toBeNull();
  });

  it('given a percent rule, when fewer devices than the minimum executed, then nothing trips', () => {
    expect(evaluateAbort([aRule()], { job: { executed: 99, failed: 99 } })).toBeNull();
  });

  it('given a count rule, when that many devices failed, then the job aborts', () => {
    const verdict = evaluateAbort([aRule({ failed: { count: 50 }, minExecuted: 1000 })], { job: { executed: 200, failed: 50 } });
    expect(verdict?.reason).toBe('aborted: 50 devices failed ≥ 50 after 200 devices');
  });

  it('given a rule naming kinds, when only other kinds failed, then nothing trips', () => {
    const rule = aRule({ kinds: ['offline', 'timeout'] });
    expect(evaluateAbort([rule], { job: { executed: 500, failed: 100, byKind: { rejected: 100 } } })).toBeNull();
  });

  it('given a rule naming kinds, when those kinds exceed it, then the reason names the kinds', () => {
    const rule = aRule({ kinds: ['offline', 'timeout'] });
    const verdict = evaluateAbort([rule], { job: { executed: 500, failed: 80, byKind: { offline: 40, timeout: 20, hub: 20 } } });
    expect(verdict?.reason).toBe('aborted: 12 % failed (offline, timeout) > 10 % after 500 devices');
  });

  it('given a batch rule, when the current batch exceeds it, then the job aborts naming the batch', () => {
    const verdict = evaluateAbort([aRule({ scope: 'batch', minExecuted: 10 })], {
      job: { executed: 1000, failed: 20 },
      batch: { index: 2, executed: 20, failed: 5 },
    });
    expect(verdict?.reason).toBe('aborted: 25 % failed > 10 % after 20 devices in batch 3');
  });

  it('given a batch rule, when no batch figures are given, then it is not judged', () => {
    expect(evaluateAbort([aRule({ scope: 'batch' })], { job: { executed: 1000, failed: 1000 } })).toBeNull();
  });

  it('given several rules, when two trip, then the first one is answered', () => {
    const first = aRule({ failed: { count: 10 } });
    const verdict = evaluateAbort([first, aRule()], { job: { executed: 500, failed: 100 } });
    expect(verdict?.rule).toBe(first);
  });
});
