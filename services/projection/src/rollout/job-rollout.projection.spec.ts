import { projectionSpec } from '@fleetjobs/event-sourcing/testing';
import { FleetEvent } from '@fleetjobs/contracts';
import { evolveJobDevice, jobDeviceEvents } from '../jobs/job-device.projection';
import { evolveJob } from '../jobs/job.projection';
import { aDeviceSucceeded, aJobCreated, aJobTargetsResolved, anUnknownEvent } from '../testing/job-event.builders';
import { aDeviceFailedAfter, aDeviceSucceededAfter, aJobRolloutProgressed } from '../testing/rollout-event.builders';
import { evolveRolloutBatch, evolveRolloutProgress, RolloutBatchRow, RolloutProgressRow } from './job-rollout.projection';

const JOB = 'job-1';
const progress = projectionSpec<RolloutProgressRow, FleetEvent>(evolveRolloutProgress);
const batch = projectionSpec<RolloutBatchRow, FleetEvent>(evolveRolloutBatch);

const started = aJobRolloutProgressed(JOB, 1);
const counted = aJobRolloutProgressed(JOB, 2, { batch: { index: 0, size: 25, completed: 10, failed: 1, state: 'running' } });
const throttled = aJobRolloutProgressed(JOB, 3, {
  batch: { index: 0, size: 25, completed: 12, failed: 1, state: 'running' },
  ratePerMinute: 300,
  rateReason: 'throttled by the hub (429): 600 → 300/min',
});
const passed = aJobRolloutProgressed(JOB, 4, { currentBatch: 1, batch: { index: 0, size: 25, completed: 24, failed: 1, state: 'passed' } });
const next = aJobRolloutProgressed(JOB, 5, { currentBatch: 1, batch: { index: 1, size: 25, completed: 0, failed: 0, state: 'running' } });

describe('evolveRolloutProgress', () => {
  it('given no progress, when a job reports one, then the row holds its batch, rate and reason', () => {
    progress.given([]).when(started).then({ jobId: JOB, currentBatch: 0, batchCount: 4, ratePerMinute: 600, rateReason: 'starting at 600/min', pausedUntil: null, sequence: 1 });
  });

  it('given a progress, when the rate goes down, then the row shows the new rate and why', () => {
    progress.given([started, counted]).when(throttled).then({ ratePerMinute: 300, rateReason: 'throttled by the hub (429): 600 → 300/min', sequence: 3 });
  });

  it('given a newer progress, when an older one arrives late, then nothing changes', () => {
    progress.given([started, throttled]).when(counted).thenUnchanged();
  });

  it('given a progress, when the same one is delivered again, then nothing changes', () => {
    progress.given([started, throttled]).when(throttled).thenUnchanged();
  });

  it('given a pause between batches, when reported, then the row keeps until when', () => {
    progress.given([started]).when(aJobRolloutProgressed(JOB, 2, { pausedUntil: '2026-03-01T10:00:05Z' })).then({ pausedUntil: '2026-03-01T10:00:05.000Z' });
  });

  it('given any row, when an event of another type arrives, then nothing changes', () => {
    progress.given([started]).when(aDeviceSucceeded(JOB, 'vm-1')).thenUnchanged();
    progress.given([]).when(anUnknownEvent(JOB)).then(null);
  });
});

describe('evolveRolloutBatch', () => {
  it('given no row for the batch, when its progress arrives, then the batch row holds its figures and state', () => {
    batch.given([]).when(counted).then({ jobId: JOB, index: 0, size: 25, completed: 10, failed: 1, state: 'running', sequence: 2 });
  });

  it('given a running batch, when it passes, then its state and final figures are kept', () => {
    batch.given([started, counted]).when(passed).then({ completed: 24, failed: 1, state: 'passed' });
  });

  it('given a batch row, when another batch reports, then this row is not touched', () => {
    batch.given([started, passed]).when(next).thenUnchanged();
  });

  it('given a passed batch, when an older running progress arrives late, then it stays passed', () => {
    batch.given([started, passed]).when(counted).thenUnchanged();
  });

  it('given a batch, when the same progress is delivered twice, then nothing changes', () => {
    batch.given([counted]).when(counted).thenUnchanged();
  });
});

describe('the job row and a rollout progress', () => {
  it('given a progress before JobCreated, when folded, then a placeholder job exists and JobCreated fills in the rollout', () => {
    const rollout = { batches: { size: 25 }, rate: { mode: 'adaptive' as const, minPerMinute: 60, maxPerMinute: 6000 } };
    const row = [started, aJobCreated(JOB, { rollout })].reduce(evolveJob, null);
    expect(row).toMatchObject({ id: JOB, rollout });
  });

  it('given a job without a rollout, when created, then its rollout is null', () => {
    expect(evolveJob(null, aJobCreated(JOB))).toMatchObject({ rollout: null });
  });
});

describe('attempts on a device row', () => {
  const targeted = jobDeviceEvents(aJobTargetsResolved(JOB, ['vm-1']))[0];
  const fold = (events: FleetEvent[]) => events.flatMap(jobDeviceEvents).reduce(evolveJobDevice, evolveJobDevice(null, targeted));

  it('given a pending device, when it succeeds after three attempts, then its row shows 3', () => {
    expect(fold([aDeviceSucceededAfter(JOB, 'vm-1', 3)])).toMatchObject({ status: 'completed', attempts: 3 });
  });

  it('given a pending device, when it fails after two attempts, then its row shows 2', () => {
    expect(fold([aDeviceFailedAfter(JOB, 'vm-1', 2)])).toMatchObject({ status: 'failed', attempts: 2 });
  });

  it('given an outcome without attempts (an older release), when folded, then the row has none', () => {
    expect(fold([aDeviceSucceeded(JOB, 'vm-1')])).toMatchObject({ status: 'completed', attempts: null });
  });

  it('given a device with its outcome, when the outcome comes again with other attempts, then the first stays', () => {
    expect(fold([aDeviceSucceededAfter(JOB, 'vm-1', 3), aDeviceSucceededAfter(JOB, 'vm-1', 4)])).toMatchObject({ attempts: 3 });
  });
});
