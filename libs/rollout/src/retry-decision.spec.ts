import { NormalizedRetries } from './normalize-rollout';
import { RetryInput, retryDecision } from './retry-decision';

const retries: NormalizedRetries = {
  maxAttempts: 3,
  on: ['offline', 'timeout', 'throttled', 'hub'],
  backoff: { initialMs: 1000, factor: 2, maxMs: 60_000, jitter: false },
};
const aFailure = (overrides: Partial<RetryInput> = {}): RetryInput => ({
  kind: 'timeout',
  operationType: 'setting',
  attempt: 1,
  retries,
  sent: true,
  ...overrides,
});

describe('retryDecision', () => {
  it('given a setting that timed out on its first attempt, when decided, then it retries after the initial delay', () => {
    expect(retryDecision(aFailure())).toEqual({ retry: true, delayMs: 1000 });
  });

  it('given later attempts, when decided, then the delay grows by the factor', () => {
    expect(retryDecision(aFailure({ attempt: 2 }))).toEqual({ retry: true, delayMs: 2000 });
  });

  it('given a growing delay, when it passes the maximum, then the maximum is used', () => {
    const many = { ...retries, maxAttempts: 10, backoff: { ...retries.backoff, maxMs: 5000 } };
    expect(retryDecision(aFailure({ attempt: 9, retries: many }))).toEqual({ retry: true, delayMs: 5000 });
  });

  it('given the last attempt failed, when decided, then it does not retry', () => {
    expect(retryDecision(aFailure({ attempt: 3 }))).toEqual({ retry: false, reason: '3 of 3 attempts made' });
  });

  it('given a kind not in the retried kinds, when decided, then it does not retry', () => {
    expect(retryDecision(aFailure({ kind: 'rejected' })).retry).toBe(false);
  });

  it('given no retry rules, when decided, then it does not retry', () => {
    expect(retryDecision(aFailure({ retries: null })).retry).toBe(false);
  });

  it('given a command that timed out after it was sent, when decided, then it does not retry (it may have run)', () => {
    expect(retryDecision(aFailure({ operationType: 'command', kind: 'timeout' })).retry).toBe(false);
  });

  it('given a command to an offline device, when decided, then it retries (it was not delivered)', () => {
    expect(retryDecision(aFailure({ operationType: 'command', kind: 'offline' })).retry).toBe(true);
  });

  it('given a command throttled before it was sent, when decided, then it retries', () => {
    expect(retryDecision(aFailure({ operationType: 'command', kind: 'throttled', sent: false })).retry).toBe(true);
  });

  it('given a command throttled after it may have been sent, when decided, then it does not retry', () => {
    expect(retryDecision(aFailure({ operationType: 'command', kind: 'throttled', sent: true })).retry).toBe(false);
  });

  it('given jitter, when decided, then the delay is drawn between half the backoff and all of it from the injected random', () => {
    const jittered = { ...retries, backoff: { ...retries.backoff, jitter: true } };
    expect(retryDecision(aFailure({ attempt: 2, retries: jittered, random: () => 0 }))).toEqual({ retry: true, delayMs: 1000 });
    expect(retryDecision(aFailure({ attempt: 2, retries: jittered, random: () => 0.5 }))).toEqual({ retry: true, delayMs: 1500 });
    expect(retryDecision(aFailure({ attempt: 2, retries: jittered, random: () => 0.999 }))).toEqual({ retry: true, delayMs: 1999 });
  });
});
