import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DataReader, InvalidEventDataError } from '../data-reader';
import { JOB_EVENT_READERS } from './job-events';
import { Rollout, ROLLOUT_LIMITS } from './rollout';

const aJobCreated = (rollout?: unknown) => ({
  jobId: 'j1',
  displayName: 'Raise fan speed',
  description: '',
  deviceSet: 'seattle-vms',
  devices: null,
  operations: [{ type: 'setting', name: 'fanSpeed', value: 5 }],
  template: 'vending-machine',
  createdAt: '2025-01-01T00:00:00.000Z',
  ...(rollout === undefined ? {} : { rollout }),
});
const read = (data: unknown) => JOB_EVENT_READERS.JobCreated(new DataReader('JobCreated', data));

const everyField: Rollout = {
  batches: { percent: 25 },
  successGate: { percent: 90 },
  pauseBetweenSeconds: 10,
  rate: { mode: 'fixed', perMinute: 600, ramp: { startPerMinute: 60, factor: 2, afterSuccesses: 50 } },
  abort: [{ failed: { percent: 10 }, minExecuted: 100, scope: 'batch', kinds: ['offline', 'hub'] }, { failed: { count: 50 } }],
  retries: { maxAttempts: 3, on: ['offline', 'throttled'], backoff: { initialMs: 1000, factor: 2, maxMs: 60000, jitter: true } },
  timeoutSeconds: 30,
};

describe('JobCreated rollout', () => {
  it('given a JobCreated without a rollout, when read, then it has none', () => {
    expect(read(aJobCreated())).not.toHaveProperty('rollout');
  });

  it('given a rollout with every field, when read, then it is read back as written', () => {
    expect(read(aJobCreated(everyField)).rollout).toEqual(everyField);
  });

  it('given an adaptive rate, when read, then its fields are kept', () => {
    const rate = { mode: 'adaptive', minPerMinute: 60, maxPerMinute: 6000, stepPerMinute: 30, maxLatencyMs: 2000 };
    expect(read(aJobCreated({ rate })).rollout).toEqual({ rate });
  });

  it('given a field a later release added, when read, then it is ignored', () => {
    expect(read(aJobCreated({ timeoutSeconds: 5, canary: { devices: 3 } })).rollout).toEqual({ timeoutSeconds: 5 });
  });

  it('given an unknown failure kind, when read, then the event is refused naming the field', () => {
    expect(() => read(aJobCreated({ retries: { maxAttempts: 2, on: ['gremlins'] } }))).toThrow(InvalidEventDataError);
  });

  it('given a rollout that is not an object, when read, then the event is refused', () => {
    expect(() => read(aJobCreated(7))).toThrow(InvalidEventDataError);
  });
});

describe('docs/openapi.yaml against the rollout limits', () => {
  const document = readFileSync(join(__dirname, '..', '..', '..', '..', 'docs', 'openapi.yaml'), 'utf8');
  const schema = (name: string) => {
    const start = document.indexOf(`\n    ${name}:\n`);
    const rest = document.slice(start + 1);
    return rest.slice(0, rest.slice(1).search(/\n {4}\w+:\n/) + 1);
  };

  it('states the bounds the API enforces', () => {
    expect(schema('RolloutRate')).toContain(`maximum: ${ROLLOUT_LIMITS.maxPerMinute}`);
    expect(schema('RolloutRetries')).toContain(`maximum: ${ROLLOUT_LIMITS.maxAttempts}`);
    expect(schema('Rollout')).toContain(`minimum: ${ROLLOUT_LIMITS.minTimeoutSeconds}\n          maximum: ${ROLLOUT_LIMITS.maxTimeoutSeconds}`);
    expect(schema('Rollout')).toContain(`maximum: ${ROLLOUT_LIMITS.maxPauseBetweenSeconds}`);
    expect(schema('Rollout')).toContain(`maxItems: ${ROLLOUT_LIMITS.maxAbortRules}`);
  });
});
