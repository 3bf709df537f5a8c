import type { JobEvent } from '../job.decider';
import { activeJobsChange, DEFAULT_MAX_ACTIVE_JOBS, mayBeginAnotherJob, readMaxActiveJobs } from './active-jobs.limit';

const event = (type: JobEvent['type']) => ({ type, data: {} }) as JobEvent;

describe('the most jobs active at once', () => {
  it('is 200 unless set', () => {
    expect(readMaxActiveJobs({})).toBe(DEFAULT_MAX_ACTIVE_JOBS);
    expect(readMaxActiveJobs({ MAX_ACTIVE_JOBS: '5' })).toBe(5);
  });

  it.each(['0', '-1', '2.5', 'lots'])('refuses MAX_ACTIVE_JOBS=%s, naming the variable', (value) => {
    expect(() => readMaxActiveJobs({ MAX_ACTIVE_JOBS: value })).toThrow(/MAX_ACTIVE_JOBS/);
  });

  it('lets a job begin below the limit and not at it', () => {
    expect(mayBeginAnotherJob(4, 5)).toBe(true);
    expect(mayBeginAnotherJob(5, 5)).toBe(false);
  });
});

describe('what decided events do to the active jobs', () => {
  it('a created job begins being active', () => {
    expect(activeJobsChange([event('JobCreated')])).toBe('begins');
  });

  it.each(['JobCompleted', 'JobFailed', 'JobStopped'] as const)('%s ends it', (type) => {
    expect(activeJobsChange([event(type)])).toBe('ends');
  });

  it.each(['JobStarted', 'JobPaused', 'JobResumed', 'JobApproved'] as const)('%s changes nothing', (type) => {
    expect(activeJobsChange([event(type)])).toBe('none');
  });

  it('nothing decided changes nothing', () => {
    expect(activeJobsChange([])).toBe('none');
  });
});
