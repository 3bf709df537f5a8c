import { FAILURE_KINDS, FailureKind, Rollout, RolloutAbortRule, RolloutRetries, RolloutScope } from '../api/fleetjobs-api.types';

/**
 * The Rollout section of the New job form, as typed. Numbers stay text until Run so that a
 * half-typed value can be shown back with its error; blank optional fields are left to the API's
 * defaults. The rules mirror the API's (docs/openapi.yaml, Rollout), field by field.
 */
export interface RolloutDraft {
  /** Off: the job has no rollout and reaches every device at once, as before. */
  enabled: boolean;
  batchMode: 'none' | 'size' | 'percent';
  batchSize: string;
  batchPercent: string;
  gate: boolean;
  gatePercent: string;
  pauseSeconds: string;
  rateMode: 'none' | 'fixed' | 'adaptive';
  perMinute: string;
  ramp: boolean;
  rampStartPerMinute: string;
  rampFactor: string;
  rampAfterSuccesses: string;
  minPerMinute: string;
  maxPerMinute: string;
  abort: AbortRuleRow[];
  retries: boolean;
  maxAttempts: string;
  retryOn: FailureKind[];
  backoffInitialMs: string;
  backoffFactor: string;
  backoffMaxMs: string;
  jitter: boolean;
  timeoutSeconds: string;
}

export interface AbortRuleRow {
  key: number;
  by: 'percent' | 'count';
  percent: string;
  count: string;
  minExecuted: string;
  scope: RolloutScope;
  /** None chosen: every failure counts. */
  kinds: FailureKind[];
}

/** The API's bounds (ROLLOUT_LIMITS of the contracts). */
export const ROLLOUT_LIMITS = {
  maxPerMinute: 1_000_000,
  maxPauseBetweenSeconds: 86_400,
  maxAttempts: 10,
  minTimeoutSeconds: 1,
  maxTimeoutSeconds: 300,
  maxAbortRules: 10,
  maxBackoffMs: 3_600_000,
} as const;

/** The kinds the API retries when a rollout's retries name none. */
export const DEFAULT_RETRY_ON: readonly FailureKind[] = ['offline', 'timeout', 'throttled', 'hub'];

let nextRuleKey = 1;
export function newAbortRule(): AbortRuleRow {
  return { key: nextRuleKey++, by: 'percent', percent: '10', count: '10', minExecuted: '10', scope: 'job', kinds: [] };
}

/**
 * What the section offers when it is opened: quarter batches behind a 90 % gate, no rate cap,
 * no abort rule, no retries and the deployment's timeout. Each part, once chosen, starts from the
 * values of the rollout example in the docs.
 */
export function defaultRolloutDraft(): RolloutDraft {
  return {
    enabled: false,
    batchMode: 'percent',
    batchSize: '100',
    batchPercent: '25',
    gate: true,
    gatePercent: '90',
    pauseSeconds: '0',
    rateMode: 'none',
    perMinute: '600',
    ramp: false,
    rampStartPerMinute: '60',
    rampFactor: '2',
    rampAfterSuccesses: '50',
    minPerMinute: '60',
    maxPerMinute: '6000',
    abort: [],
    retries: false,
    maxAttempts: '3',
    retryOn: [...DEFAULT_RETRY_ON],
    backoffInitialMs: '1000',
    backoffFactor: '2',
    backoffMaxMs: '60000',
    jitter: true,
    timeoutSeconds: '',
  };
}

const text = (value: number | undefined, fallback: string) => (value === undefined ? fallback : String(value));

/** The section filled in from a job's rollout, for a copy of that job. */
export function rolloutDraftOf(rollout: Rollout | null | undefined): RolloutDraft {
  const base = defaultRolloutDraft();
  if (!rollout) return base;
  const { batches, rate, retries } = rollout;
  const fixed = rate && rate.mode !== 'adaptive' ? rate : undefined;
  const adaptive = rate && rate.mode === 'adaptive' ? rate : undefined;
  return {
    ...base,
    enabled: true,
    batchMode: !batches ? 'none' : 'size' in batches ? 'size' : 'percent',
    batchSize: batches && 'size' in batches ? String(batches.size) : base.batchSize,
    batchPercent: batches && 'percent' in batches ? String(batches.percent) : base.batchPercent,
    gate: Boolean(rollout.successGate),
    gatePercent: text(rollout.successGate?.percent, base.gatePercent),
    pauseSeconds: text(rollout.pauseBetweenSeconds, base.pauseSeconds),
    rateMode: adaptive ? 'adaptive' : fixed ? 'fixed' : 'none',
    perMinute: text(fixed?.perMinute, base.perMinute),
    ramp: Boolean(fixed?.ramp),
    rampStartPerMinute: fixed?.ramp ? text(fixed.ramp.startPerMinute, '') : base.rampStartPerMinute,
    rampFactor: fixed?.ramp ? text(fixed.ramp.factor, '') : base.rampFactor,
    rampAfterSuccesses: fixed?.ramp ? text(fixed.ramp.afterSuccesses, '') : base.rampAfterSuccesses,
    minPerMinute: text(adaptive?.minPerMinute, base.minPerMinute),
    maxPerMinute: text(adaptive?.maxPerMinute, base.maxPerMinute),
    abort: (rollout.abort ?? []).map((rule) => ({
      key: nextRuleKey++,
      by: 'count' in rule.failed ? 'count' : 'percent',
      percent: 'percent' in rule.failed ? String(rule.failed.percent) : '10',
      count: 'count' in rule.failed ? String(rule.failed.count) : '10',
      minExecuted: text(rule.minExecuted, ''),
      scope: rule.scope ?? 'job',
      kinds: [...(rule.kinds ?? [])],
    })),
    retries: Boolean(retries),
    maxAttempts: text(retries?.maxAttempts, base.maxAttempts),
    retryOn: retries ? [...(retries.on ?? DEFAULT_RETRY_ON)] : base.retryOn,
    backoffInitialMs: retries ? text(retries.backoff?.initialMs, '') : base.backoffInitialMs,
    backoffFactor: retries ? text(retries.backoff?.factor, '') : base.backoffFactor,
    backoffMaxMs: retries ? text(retries.backoff?.maxMs, '') : base.backoffMaxMs,
    jitter: retries?.backoff?.jitter ?? true,
    timeoutSeconds: text(rollout.timeoutSeconds, ''),
  };
}

/**
 * Every field of the section that shows errors, named as the API names them, so that a problem
 * document's `rollout.abort[0].failed.percent` lands beside its input and anything else about the
 * rollout lands on the section itself.
 */
export function rolloutFields(draft: RolloutDraft): string[] {
  if (!draft.enabled) return [];
  const fields = [
    'rollout',
    'rollout.batches',
    'rollout.batches.size',
    'rollout.batches.percent',
    'rollout.successGate.percent',
    'rollout.pauseBetweenSeconds',
    'rollout.rate',
    'rollout.rate.perMinute',
    'rollout.rate.ramp.startPerMinute',
    'rollout.rate.ramp.factor',
    'rollout.rate.ramp.afterSuccesses',
    'rollout.rate.minPerMinute',
    'rollout.rate.maxPerMinute',
    'rollout.abort',
    'rollout.retries',
    'rollout.retries.maxAttempts',
    'rollout.retries.on',
    'rollout.retries.backoff',
    'rollout.retries.backoff.initialMs',
    'rollout.retries.backoff.factor',
    'rollout.retries.backoff.maxMs',
    'rollout.timeoutSeconds',
  ];
  draft.abort.forEach((_, i) => {
    const rule = `rollout.abort[${i}]`;
    fields.push(rule, `${rule}.failed.percent`, `${rule}.failed.count`, `${rule}.minExecuted`, `${rule}.scope`, `${rule}.kinds`);
  });
  return fields;
}

interface NumberRule {
  integer?: boolean;
  /** Inclusive unless `above` is set. */
  min: number;
  above?: boolean;
  max?: number;
}

/** The message for a value outside `rule`, worded as what to enter. */
function ruleText({ integer, min, above, max }: NumberRule): string {
  const fmt = (n: number) => n.toLocaleString('en-US');
  if (integer) return max === undefined ? `Enter a whole number of at least ${fmt(min)}` : `Enter a whole number from ${fmt(min)} to ${fmt(max)}`;
  if (above) return `Enter a number above ${fmt(min)} and at most ${fmt(max!)}`;
  return max === undefined ? `Enter a number of at least ${fmt(min)}` : `Enter a number from ${fmt(min)} to ${fmt(max)}`;
}

function parseNumber(value: string, rule: NumberRule): number | string {
  const trimmed = value.trim();
  const n = trimmed === '' ? NaN : Number(trimmed);
  const ok =
    Number.isFinite(n) &&
    (!rule.integer || Number.isInteger(n)) &&
    (rule.above ? n > rule.min : n >= rule.min) &&
    (rule.max === undefined || n <= rule.max);
  return ok ? n : ruleText(rule);
}

const L = ROLLOUT_LIMITS;
const PERCENT: NumberRule = { min: 0, above: true, max: 100 };
const RATE: NumberRule = { min: 0, above: true, max: L.maxPerMinute };

interface RolloutContext {
  /** The devices chosen one by one, when the job names them; a batch size may not exceed them. */
  explicitDevices: number | null;
}

/** Checks the section the way the API will and gives the body's `rollout` (undefined when off). */
export function validateRollout(draft: RolloutDraft, context: RolloutContext): { errors: Record<string, string[]>; rollout?: Rollout } {
  const errors: Record<string, string[]> = {};
  if (!draft.enabled) return { errors };
  const add = (field: string, message: string) => (errors[field] ??= []).push(message);
  /** A required number: its value, or undefined with the error added. */
  const required = (field: string, value: string, rule: NumberRule): number | undefined => {
    const parsed = parseNumber(value, rule);
    if (typeof parsed === 'string') return void add(field, parsed);
    return parsed;
  };
  /** An optional number: blank leaves it to the API's default. */
  const optional = (field: string, value: string, rule: NumberRule): number | undefined =>
    value.trim() === '' ? undefined : required(field, value, rule);

  const rollout: Rollout = {};
  if (draft.batchMode === 'size') {
    const size = required('rollout.batches.size', draft.batchSize, { integer: true, min: 1 });
    if (size !== undefined && context.explicitDevices !== null && size > context.explicitDevices) {
      add('rollout.batches.size', `Must not be greater than the job's ${context.explicitDevices} devices`);
    }
    if (size !== undefined) rollout.batches = { size };
  } else if (draft.batchMode === 'percent') {
    const percent = required('rollout.batches.percent', draft.batchPercent, PERCENT);
    if (percent !== undefined) rollout.batches = { percent };
  }
  if (draft.batchMode !== 'none') {
    if (draft.gate) {
      const percent = required('rollout.successGate.percent', draft.gatePercent, PERCENT);
      if (percent !== undefined) rollout.successGate = { percent };
    }
    const pause = optional('rollout.pauseBetweenSeconds', draft.pauseSeconds, { integer: true, min: 0, max: L.maxPauseBetweenSeconds });
    if (pause !== undefined) rollout.pauseBetweenSeconds = pause;
  }

  if (draft.rateMode === 'fixed') {
    const perMinute = required('rollout.rate.perMinute', draft.perMinute, RATE);
    if (draft.ramp) {
      const ramp = {
        startPerMinute: optional('rollout.rate.ramp.startPerMinute', draft.rampStartPerMinute, RATE),
        factor: optional('rollout.rate.ramp.factor', draft.rampFactor, { min: 1, above: true, max: 100 }),
        afterSuccesses: optional('rollout.rate.ramp.afterSuccesses', draft.rampAfterSuccesses, { integer: true, min: 1 }),
      };
      if (perMinute !== undefined) rollout.rate = { perMinute, ramp: definedOnly(ramp) };
    } else if (perMinute !== undefined) rollout.rate = { perMinute };
  } else if (draft.rateMode === 'adaptive') {
    const minPerMinute = required('rollout.rate.minPerMinute', draft.minPerMinute, RATE);
    const maxPerMinute = required('rollout.rate.maxPerMinute', draft.maxPerMinute, RATE);
    if (minPerMinute !== undefined && maxPerMinute !== undefined) {
      if (minPerMinute > maxPerMinute) add('rollout.rate.minPerMinute', 'Must not be greater than the maximum');
      else rollout.rate = { mode: 'adaptive', minPerMinute, maxPerMinute };
    }
  }

  if (draft.abort.length > L.maxAbortRules) add('rollout.abort', `At most ${L.maxAbortRules} abort rules`);
  const abort: RolloutAbortRule[] = [];
  draft.abort.forEach((row, i) => {
    const at = `rollout.abort[${i}]`;
    const threshold =
      row.by === 'percent'
        ? required(`${at}.failed.percent`, row.percent, { min: 0, max: 100 })
        : required(`${at}.failed.count`, row.count, { integer: true, min: 1 });
    const minExecuted = optional(`${at}.minExecuted`, row.minExecuted, { integer: true, min: 0 });
    if (threshold === undefined) return;
    abort.push({
      failed: row.by === 'percent' ? { percent: threshold } : { count: threshold },
      ...(minExecuted !== undefined ? { minExecuted } : {}),
      scope: row.scope,
      ...(row.kinds.length > 0 ? { kinds: FAILURE_KINDS.filter((k) => row.kinds.includes(k)) } : {}),
    });
  });
  if (abort.length > 0) rollout.abort = abort;

  if (draft.retries) {
    const maxAttempts = required('rollout.retries.maxAttempts', draft.maxAttempts, { integer: true, min: 1, max: L.maxAttempts });
    const backoff = {
      initialMs: optional('rollout.retries.backoff.initialMs', draft.backoffInitialMs, { integer: true, min: 1, max: L.maxBackoffMs }),
      factor: optional('rollout.retries.backoff.factor', draft.backoffFactor, { min: 1, max: 10 }),
      maxMs: optional('rollout.retries.backoff.maxMs', draft.backoffMaxMs, { integer: true, min: 1, max: L.maxBackoffMs }),
      jitter: draft.jitter,
    };
    if (maxAttempts !== undefined) {
      const retries: RolloutRetries = { maxAttempts, on: FAILURE_KINDS.filter((k) => draft.retryOn.includes(k)), backoff: definedOnly(backoff) };
      rollout.retries = retries;
    }
  }

  const timeout = optional('rollout.timeoutSeconds', draft.timeoutSeconds, { integer: true, min: L.minTimeoutSeconds, max: L.maxTimeoutSeconds });
  if (timeout !== undefined) rollout.timeoutSeconds = timeout;

  if (Object.keys(errors).length > 0) return { errors };
  // A rollout that asks for nothing is a job without one.
  return Object.keys(rollout).length > 0 ? { errors, rollout } : { errors };
}

function definedOnly<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, item]) => item !== undefined)) as T;
}
