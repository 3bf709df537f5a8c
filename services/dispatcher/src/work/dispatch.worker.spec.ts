import { DispatcherConfig, dispatcherConfigFromEnv } from '../dispatcher.config';
import { DeviceOperationRunner, RunResult } from '../operations/device-operation.runner';
import { RolloutProgressRepository } from '../rollout/rollout-progress.repository';
import { ClaimedWork } from './dispatch-events';
import { DispatchHousekeepingRepository } from './dispatch-housekeeping.repository';
import { CLAIM_GATHER_MS, DispatchWorker } from './dispatch.worker';
import { DispatchClaimRepository } from './dispatch-claim.repository';
import { DispatchOutcomesRepository } from './dispatch-outcomes.repository';

/** A worker over endless pending work whose devices finish when the test says so. */
function workerWithEndlessWork(config: Partial<DispatcherConfig>) {
  const claims: number[] = [];
  const running: ((result: RunResult) => void)[] = [];
  let next = 0;
  const claiming = {
    claim: async (_workerId: string, limit: number): Promise<ClaimedWork[]> => {
      claims.push(limit);
      return Array.from({ length: limit }, () => ({ jobId: 'job-1', deviceId: `vm-${next++}`, operations: [], redrive: false, attempts: 0 }));
    },
  } as unknown as DispatchClaimRepository;
  const outcomes = {
    release: async () => undefined,
    recordOutcomes: async () => [],
  } as unknown as DispatchOutcomesRepository;
  const housekeeping = {
    heartbeat: async () => undefined,
    forgetWorker: async () => undefined,
    finishJobs: async () => [],
  } as unknown as DispatchHousekeepingRepository;
  const runner = {
    run: (unit: ClaimedWork) =>
      new Promise<RunResult>((resolve) => running.push(() => resolve({ kind: 'outcome', outcome: { jobId: unit.jobId, deviceId: unit.deviceId, ok: true, error: null } }))),
    permits: { forget: () => undefined },
  } as unknown as DeviceOperationRunner;
  const rollouts = { advance: async () => [] } as unknown as RolloutProgressRepository;
  const worker = new DispatchWorker(claiming, outcomes, housekeeping, runner, rollouts, { ...dispatcherConfigFromEnv(), ...config });
  /** Lets the oldest running device finish. */
  const finishOne = () => running.shift()!({ kind: 'lost' });
  return { worker, claims, finishOne };
}

describe('DispatchWorker claiming', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('fills every slot at start with one claim', async () => {
    const { worker, claims } = workerWithEndlessWork({ concurrency: 8 });
    await worker.onApplicationBootstrap();
    await jest.advanceTimersByTimeAsync(0);
    expect(claims).toEqual([8]);
  });

  it('claims slots freed one by one together, once a quarter of them are free', async () => {
    const { worker, claims, finishOne } = workerWithEndlessWork({ concurrency: 8 });
    await worker.onApplicationBootstrap();
    await jest.advanceTimersByTimeAsync(0);
    finishOne();
    await jest.advanceTimersByTimeAsync(0);
    expect(claims).toEqual([8]);
    finishOne();
    await jest.advanceTimersByTimeAsync(0);
    expect(claims).toEqual([8, 2]);
  });

  it('fills a slot freed alone once the gathering time has passed', async () => {
    const { worker, claims, finishOne } = workerWithEndlessWork({ concurrency: 8 });
    await worker.onApplicationBootstrap();
    await jest.advanceTimersByTimeAsync(0);
    finishOne();
    await jest.advanceTimersByTimeAsync(CLAIM_GATHER_MS - 1);
    expect(claims).toEqual([8]);
    await jest.advanceTimersByTimeAsync(1);
    expect(claims).toEqual([8, 1]);
  });
});
