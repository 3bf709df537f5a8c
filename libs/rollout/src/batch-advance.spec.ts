import { BatchAdvanceInput, decideBatchAdvance } from './batch-advance';

const NOW = '2025-01-01T00:00:00.000Z';
const aBatch = (overrides: Partial<BatchAdvanceInput> = {}): BatchAdvanceInput => ({
  batch: 0,
  executed: 100,
  completed: 100,
  failed: 0,
  size: 100,
  successGate: null,
  pauseBetweenSeconds: 0,
  pausedUntil: null,
  now: NOW,
  ...overrides,
});

describe('decideBatchAdvance', () => {
  it('given a batch with an outcome on every device and no gate or pause, when asked, then the next batch starts', () => {
    expect(decideBatchAdvance(aBatch({ completed: 60, failed: 40 })).decision).toBe('start-next');
  });

  it('given a batch with devices still without an outcome, when asked, then it waits', () => {
    expect(decideBatchAdvance(aBatch({ executed: 99, completed: 99 }))).toEqual({
      decision: 'wait',
      reason: 'batch 1: 99 of 100 devices have an outcome',
    });
  });

  it('given a batch that reached its gate but is not finished, when asked, then it waits for the rest', () => {
    expect(decideBatchAdvance(aBatch({ executed: 95, completed: 95, successGate: { percent: 90 } })).decision).toBe('wait');
  });

  it('given a finished batch that reached its gate, when asked, then the next batch starts', () => {
    expect(decideBatchAdvance(aBatch({ completed: 90, failed: 10, successGate: { percent: 90 } })).decision).toBe('start-next');
  });

  it('given a batch that can no longer reach its gate, when asked, then the gate fails before the batch is finished and says why', () => {
    expect(decideBatchAdvance(aBatch({ batch: 1, executed: 50, completed: 39, failed: 11, successGate: { percent: 90 } }))).toEqual({
      decision: 'gate-failed',
      reason: 'batch 2 can no longer reach its 90 % success gate: 11 of 100 devices failed, at most 89 % can complete',
    });
  });

  it('given a gate of a share that is not a whole device, when judged, then the needed count is rounded up', () => {
    const gate = { percent: 50 };
    expect(decideBatchAdvance(aBatch({ size: 3, executed: 3, completed: 1, failed: 2, successGate: gate })).decision).toBe('gate-failed');
    expect(decideBatchAdvance(aBatch({ size: 3, executed: 3, completed: 2, failed: 1, successGate: gate })).decision).toBe('start-next');
  });

  it('given a finished batch and a pause not yet begun, when asked, then it waits and says until when', () => {
    expect(decideBatchAdvance(aBatch({ pauseBetweenSeconds: 30 }))).toEqual({
      decision: 'wait',
      reason: 'batch 1 ended; pausing 30 s',
      pauseUntil: '2025-01-01T00:00:30.000Z',
    });
  });

  it('given a pause still running, when asked, then it waits', () => {
    expect(decideBatchAdvance(aBatch({ pauseBetweenSeconds: 30, pausedUntil: '2025-01-01T00:00:30.000Z' })).decision).toBe('wait');
  });

  it('given a pause that is over, when asked, then the next batch starts', () => {
    const later = { pauseBetweenSeconds: 30, pausedUntil: '2025-01-01T00:00:30.000Z', now: '2025-01-01T00:00:30.000Z' };
    expect(decideBatchAdvance(aBatch(later)).decision).toBe('start-next');
  });
});
