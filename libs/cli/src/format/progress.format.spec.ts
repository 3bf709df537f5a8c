import { finalLine, percentDone, progressLine } from './progress.format';

const job = (status: string, total: number, completed: number, failed: number) => ({
  id: 'raise-fan',
  status,
  counts: { total, completed, failed, pending: total - completed - failed },
});

describe('progress line', () => {
  it('counts completed and failed devices as done', () => {
    expect(percentDone(job('running', 10, 4, 1))).toBe(50);
  });

  it('rounds down, so 100% means every device is done', () => {
    expect(percentDone(job('running', 3, 2, 0))).toBe(66);
    expect(percentDone(job('running', 1000, 999, 0))).toBe(99);
  });

  it('shows a job without devices as 0% until it ends, then 100%', () => {
    expect(percentDone(job('pending', 0, 0, 0))).toBe(0);
    expect(percentDone(job('completed', 0, 0, 0))).toBe(100);
  });

  it('draws a bar of the share done, the status and every count', () => {
    expect(progressLine(job('running', 10, 4, 1), 10)).toBe('[#####-----]  50% running   5/10 done · 4 completed · 1 failed · 5 pending');
    expect(progressLine(job('completed', 2, 2, 0), 4)).toBe('[####] 100% completed 2/2 done · 2 completed · 0 failed · 0 pending');
    expect(progressLine(job('pending', 2, 0, 0), 4)).toBe('[----]   0% pending   0/2 done · 0 completed · 0 failed · 2 pending');
  });

  it('ends with the outcome, and names devices a stopped job never ran', () => {
    expect(finalLine(job('failed', 10, 8, 2))).toBe('job raise-fan failed: 8 of 10 devices completed, 2 failed');
    expect(finalLine(job('stopped', 10, 3, 0))).toBe('job raise-fan stopped: 3 of 10 devices completed, 0 failed, 7 not run');
  });
});
