import { describe, expect, it } from 'vitest';
import { defaultRolloutDraft, newAbortRule, RolloutDraft, rolloutDraftOf, rolloutFields, validateRollout } from './rollout-form';

const on = (patch: Partial<RolloutDraft> = {}): RolloutDraft => ({ ...defaultRolloutDraft(), enabled: true, ...patch });
const anySet = { explicitDevices: null };

describe('rollout form', () => {
  it('is off by default and then adds nothing to the job', () => {
    const draft = defaultRolloutDraft();
    expect(draft.enabled).toBe(false);
    expect(validateRollout({ ...draft, batchPercent: 'not a number' }, anySet)).toEqual({ errors: {} });
    expect(rolloutFields(draft)).toEqual([]);
  });

  it('opens on quarter batches behind a 90 % gate, with no cap, abort rule, retries or timeout of its own', () => {
    expect(validateRollout(on(), anySet)).toEqual({ errors: {}, rollout: { batches: { percent: 25 }, successGate: { percent: 90 }, pauseBetweenSeconds: 0 } });
  });

  it('gives exactly the rollout of the docs for a batched, ramped job with an abort rule and retries', () => {
    const draft = on({
      batchMode: 'size',
      batchSize: '100',
      gatePercent: '90',
      pauseSeconds: '30',
      rateMode: 'fixed',
      perMinute: '600',
      ramp: true,
      abort: [{ ...newAbortRule(), percent: '10', minExecuted: '100', scope: 'batch', kinds: ['timeout', 'offline'] }],
      retries: true,
      retryOn: ['offline', 'timeout'],
      timeoutSeconds: '30',
    });
    expect(validateRollout(draft, anySet).rollout).toEqual({
      batches: { size: 100 },
      successGate: { percent: 90 },
      pauseBetweenSeconds: 30,
      rate: { perMinute: 600, ramp: { startPerMinute: 60, factor: 2, afterSuccesses: 50 } },
      abort: [{ failed: { percent: 10 }, minExecuted: 100, scope: 'batch', kinds: ['offline', 'timeout'] }],
      retries: { maxAttempts: 3, on: ['offline', 'timeout'], backoff: { initialMs: 1000, factor: 2, maxMs: 60000, jitter: true } },
      timeoutSeconds: 30,
    });
  });

  it('leaves blank optional fields to the defaults of the API', () => {
    const draft = on({ batchMode: 'none', rateMode: 'fixed', ramp: true, rampStartPerMinute: '', rampFactor: ' ', rampAfterSuccesses: '', retries: true, backoffInitialMs: '', backoffFactor: '', backoffMaxMs: '', jitter: false });
    expect(validateRollout(draft, anySet).rollout).toEqual({
      rate: { perMinute: 600, ramp: {} },
      retries: { maxAttempts: 3, on: ['offline', 'timeout', 'hub', 'throttled'], backoff: { jitter: false } },
    });
  });

  it('sends an adaptive rate and a count abort rule over the whole job', () => {
    const draft = on({ batchMode: 'none', rateMode: 'adaptive', minPerMinute: '60', maxPerMinute: '6000', abort: [{ ...newAbortRule(), by: 'count', count: '50', minExecuted: '' }] });
    expect(validateRollout(draft, anySet).rollout).toEqual({
      rate: { mode: 'adaptive', minPerMinute: 60, maxPerMinute: 6000 },
      abort: [{ failed: { count: 50 }, scope: 'job' }],
    });
  });

  it.each([
    ['a batch percent of 0', { batchPercent: '0' }, 'rollout.batches.percent', 'Enter a number above 0 and at most 100'],
    ['a batch percent over 100', { batchPercent: '101' }, 'rollout.batches.percent', 'Enter a number above 0 and at most 100'],
    ['a batch size of 0', { batchMode: 'size', batchSize: '0' }, 'rollout.batches.size', 'Enter a whole number of at least 1'],
    ['a fractional batch size', { batchMode: 'size', batchSize: '2.5' }, 'rollout.batches.size', 'Enter a whole number of at least 1'],
    ['a success gate of 0 %', { gatePercent: '0' }, 'rollout.successGate.percent', 'Enter a number above 0 and at most 100'],
    ['a negative pause', { pauseSeconds: '-1' }, 'rollout.pauseBetweenSeconds', 'Enter a whole number from 0 to 86,400'],
    ['a rate of 0', { rateMode: 'fixed', perMinute: '0' }, 'rollout.rate.perMinute', 'Enter a number above 0 and at most 1,000,000'],
    ['a blank rate', { rateMode: 'fixed', perMinute: '' }, 'rollout.rate.perMinute', 'Enter a number above 0 and at most 1,000,000'],
    ['a ramp factor of 1', { rateMode: 'fixed', ramp: true, rampFactor: '1' }, 'rollout.rate.ramp.factor', 'Enter a number above 1 and at most 100'],
    ['a ramp start of 0', { rateMode: 'fixed', ramp: true, rampStartPerMinute: '0' }, 'rollout.rate.ramp.startPerMinute', 'Enter a number above 0 and at most 1,000,000'],
    ['an adaptive floor above its ceiling', { rateMode: 'adaptive', minPerMinute: '600', maxPerMinute: '60' }, 'rollout.rate.minPerMinute', 'Must not be greater than the maximum'],
    ['0 attempts', { retries: true, maxAttempts: '0' }, 'rollout.retries.maxAttempts', 'Enter a whole number from 1 to 10'],
    ['11 attempts', { retries: true, maxAttempts: '11' }, 'rollout.retries.maxAttempts', 'Enter a whole number from 1 to 10'],
    ['a backoff factor over 10', { retries: true, backoffFactor: '11' }, 'rollout.retries.backoff.factor', 'Enter a number from 1 to 10'],
    ['a timeout of 0 s', { timeoutSeconds: '0' }, 'rollout.timeoutSeconds', 'Enter a whole number from 1 to 300'],
    ['a timeout of 301 s', { timeoutSeconds: '301' }, 'rollout.timeoutSeconds', 'Enter a whole number from 1 to 300'],
  ] as [string, Partial<RolloutDraft>, string, string][])('refuses %s on the field the API names', (_case, patch, field, message) => {
    const result = validateRollout(on(patch), anySet);
    expect(result.errors).toEqual({ [field]: [message] });
    expect(result.rollout).toBeUndefined();
    expect(rolloutFields(on(patch))).toContain(field);
  });

  it('refuses abort thresholds outside the rules of the API, per rule', () => {
    const abort = [
      { ...newAbortRule(), percent: '150' },
      { ...newAbortRule(), by: 'count' as const, count: '0' },
      { ...newAbortRule(), minExecuted: '-3' },
    ];
    expect(validateRollout(on({ abort }), anySet).errors).toEqual({
      'rollout.abort[0].failed.percent': ['Enter a number from 0 to 100'],
      'rollout.abort[1].failed.count': ['Enter a whole number of at least 1'],
      'rollout.abort[2].minExecuted': ['Enter a whole number of at least 0'],
    });
  });

  it('refuses a batch larger than the devices chosen one by one', () => {
    const draft = on({ batchMode: 'size', batchSize: '4' });
    expect(validateRollout(draft, { explicitDevices: 3 }).errors).toEqual({ 'rollout.batches.size': ["Must not be greater than the job's 3 devices"] });
    expect(validateRollout(draft, { explicitDevices: 4 }).rollout).toEqual({ batches: { size: 4 }, successGate: { percent: 90 }, pauseBetweenSeconds: 0 });
  });

  it('copies a job\'s rollout back into the form unchanged', () => {
    const rollout = {
      batches: { size: 100 },
      successGate: { percent: 95 },
      pauseBetweenSeconds: 10,
      rate: { perMinute: 600, ramp: { startPerMinute: 60, factor: 3 } },
      abort: [{ failed: { count: 50 }, scope: 'batch' as const, kinds: ['offline' as const] }],
      retries: { maxAttempts: 4, on: ['hub' as const], backoff: { initialMs: 500, jitter: false } },
      timeoutSeconds: 20,
    };
    expect(validateRollout(rolloutDraftOf(rollout), anySet).rollout).toEqual(rollout);
    const adaptive = { rate: { mode: 'adaptive' as const, minPerMinute: 10, maxPerMinute: 100 } };
    expect(validateRollout(rolloutDraftOf(adaptive), anySet).rollout).toEqual(adaptive);
    expect(rolloutDraftOf(null).enabled).toBe(false);
  });
});
