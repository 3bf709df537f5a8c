import { evolve, initialState, JobEvent, JobState } from './job.decider';
import { pastRetention } from './job-retention.policy';

const jobId = 'fan-speed';
const endedAt = '2026-11-01T10:00:00.000Z';
const created: JobEvent = {
  type: 'JobCreated',
  data: { jobId, displayName: 'Fan speed', description: '', deviceSet: 'vms', devices: [], operations: [{ type: 'setting', name: 'fanSpeed', value: 3 }], template: 'vending-machine', createdAt: endedAt },
};
const completed: JobEvent = { type: 'JobCompleted', data: { jobId, completed: 2, endedAt } };
const settled: JobEvent = { type: 'JobSettled', data: { jobId, status: 'completed', completed: 2, failed: 0, notStarted: 0, settledAt: endedAt } };
const after = (...events: JobEvent[]): JobState => events.reduce(evolve, initialState());
const daysAfterTheEnd = (days: number) => new Date(Date.parse(endedAt) + days * 86_400_000);

describe('whether a job is past the retention', () => {
  it('is once it settled more than the retention ago, not at the retention itself', () => {
    expect(pastRetention(after(created, completed, settled), daysAfterTheEnd(30.01), 30)).toBe(true);
    expect(pastRetention(after(created, completed, settled), daysAfterTheEnd(30), 30)).toBe(false);
    expect(pastRetention(after(created, completed, settled), daysAfterTheEnd(29), 30)).toBe(false);
  });

  it('never is for a job that has not settled, however old, nor for one that does not exist', () => {
    expect(pastRetention(after(created), daysAfterTheEnd(400), 30)).toBe(false);
    expect(pastRetention(after(created, completed), daysAfterTheEnd(400), 30)).toBe(false);
    expect(pastRetention(initialState(), daysAfterTheEnd(400), 30)).toBe(false);
  });

  it('is at once with a retention of 0 days', () => {
    expect(pastRetention(after(created, completed, settled), daysAfterTheEnd(0.001), 0)).toBe(true);
  });
});
