import { normalizeRollout, ROLLOUT_DEFAULTS } from './normalize-rollout';

describe('normalizeRollout', () => {
  it('given no rollout, when normalized, then the job runs as one batch with no gate, rate, abort rule, retries or timeout of its own', () => {
    expect(normalizeRollout(undefined)).toEqual({
      batches: null,
      successGate: null,
      pauseBetweenSeconds: 0,
      rate: null,
      abort: [],
      retries: null,
      timeoutSeconds: null,
    });
  });

  it('given a ramp without its details, when normalized, then it starts at a tenth of the cap, doubles, after 50 successes', () => {
    expect(normalizeRollout({ rate: { perMinute: 600, ramp: {} } }).rate).toEqual({
      mode: 'fixed',
      perMinute: 600,
      ramp: { startPerMinute: 60, factor: 2, afterSuccesses: 50 },
    });
  });

  it('given a ramp starting above its cap, when normalized, then it starts at the cap', () => {
    const rate = normalizeRollout({ rate: { perMinute: 100, ramp: { startPerMinute: 500 } } }).rate;
    expect(rate).toMatchObject({ ramp: { startPerMinute: 100 } });
  });

  it('given an adaptive rate with floor and ceiling only, when normalized, then it starts at the floor and steps by the floor', () => {
    expect(normalizeRollout({ rate: { mode: 'adaptive', minPerMinute: 60, maxPerMinute: 6000 } }).rate).toEqual({
      mode: 'adaptive',
      minPerMinute: 60,
      maxPerMinute: 6000,
      startPerMinute: 60,
      stepPerMinute: 60,
      decreaseFactor: 0.5,
      maxLatencyMs: 5000,
      maxFailurePercent: 10,
    });
  });

  it('given an abort rule with only a threshold, when normalized, then it judges the whole job, every kind, from the first outcome', () => {
    expect(normalizeRollout({ abort: [{ failed: { percent: 10 } }] }).abort).toEqual([
      { failed: { percent: 10 }, minExecuted: 1, scope: 'job', kinds: null },
    ]);
  });

  it('given retries with only a maximum, when normalized, then the default kinds and backoff apply', () => {
    expect(normalizeRollout({ retries: { maxAttempts: 3 } }).retries).toEqual({
      maxAttempts: 3,
      on: ROLLOUT_DEFAULTS.retryOn,
      backoff: { initialMs: 1000, factor: 2, maxMs: 60_000, jitter: true },
    });
  });

  it('given a partial backoff, when normalized, then the fields given win over the defaults', () => {
    const retries = normalizeRollout({ retries: { maxAttempts: 2, on: ['offline'], backoff: { initialMs: 50, jitter: false } } }).retries;
    expect(retries).toEqual({ maxAttempts: 2, on: ['offline'], backoff: { initialMs: 50, factor: 2, maxMs: 60_000, jitter: false } });
  });
});
