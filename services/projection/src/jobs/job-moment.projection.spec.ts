import { aDeviceFailed, aJobCompleted, aJobCreated, aJobPaused, aJobStarted, aJobStopped } from '../testing/job-event.builders';
import { deviceStatusAt, JobStatusChange, statusAt, statusChangesOf } from './job-moment.projection';

const JOB = 'job-1';
const change = (type: JobStatusChange['type'], at: string) => ({ type, at: `2026-03-01T10:${at}.000Z` });
const at = (time: string) => `2026-03-01T10:${time}.000Z`;

describe('statusChangesOf', () => {
  it('keeps the status changes with their own times and event ids, and nothing else', () => {
    const started = aJobStarted(JOB, 3, at('00:01'));
    const paused = aJobPaused(JOB, at('00:05'));
    expect(statusChangesOf([aJobCreated(JOB), started, aDeviceFailed(JOB, 'vm-1'), paused])).toEqual([
      { jobId: JOB, eventId: started.id, type: 'JobStarted', at: at('00:01') },
      { jobId: JOB, eventId: paused.id, type: 'JobPaused', at: at('00:05') },
    ]);
  });

  it('takes the time the event says it happened, not its envelope time', () => {
    const stopped = { ...aJobStopped(JOB, at('03:00')), time: at('09:00') };
    expect(statusChangesOf([stopped])[0].at).toBe(at('03:00'));
  });

  it('falls back to the envelope time when the data has none readable', () => {
    const completed = aJobCompleted(JOB, 'not a time');
    expect(statusChangesOf([{ ...completed, time: at('06:00') }])[0].at).toBe(at('06:00'));
  });
});

describe('statusAt', () => {
  const life = [change('JobStarted', '00:01'), change('JobPaused', '01:00'), change('JobResumed', '02:00'), change('JobCompleted', '03:00')];

  it('is pending before anything happened', () => {
    expect(statusAt(life, at('00:00'))).toBe('pending');
  });

  it.each([
    ['00:01', 'running'],
    ['00:30', 'running'],
    ['01:00', 'paused'],
    ['01:59', 'paused'],
    ['02:00', 'running'],
    ['03:00', 'completed'],
    ['59:00', 'completed'],
  ])('at 10:%s it is %s', (time, status) => {
    expect(statusAt(life, at(time))).toBe(status);
  });

  it('folds in time order whatever the order given', () => {
    expect(statusAt([...life].reverse(), at('01:30'))).toBe('paused');
  });

  it('a job paused before it started resumes to pending, and runs once started', () => {
    const early = [change('JobPaused', '00:01'), change('JobResumed', '00:02'), change('JobStarted', '00:03')];
    expect(statusAt(early, at('00:01'))).toBe('paused');
    expect(statusAt(early, at('00:02'))).toBe('pending');
    expect(statusAt(early, at('00:03'))).toBe('running');
  });

  it('a job started while paused stays paused until resumed', () => {
    const held = [change('JobPaused', '00:01'), change('JobStarted', '00:02'), change('JobResumed', '00:03')];
    expect(statusAt(held, at('00:02'))).toBe('paused');
    expect(statusAt(held, at('00:03'))).toBe('running');
  });

  it('the first end is final: later changes do not undo it', () => {
    const ended = [change('JobStarted', '00:01'), change('JobStopped', '00:02'), change('JobPaused', '00:03'), change('JobFailed', '00:04')];
    expect(statusAt(ended, at('00:05'))).toBe('stopped');
  });

  it('at one instant, a start comes before a pause and a pause before a resume and an end', () => {
    const same = [change('JobCompleted', '00:01'), change('JobPaused', '00:01'), change('JobStarted', '00:01')];
    expect(statusAt(same, at('00:01'))).toBe('completed');
    expect(statusAt([change('JobResumed', '00:01'), change('JobPaused', '00:01'), change('JobStarted', '00:01')], at('00:01'))).toBe('running');
  });
});

describe('deviceStatusAt', () => {
  const completed = { status: 'completed' as const, targetedAt: at('00:01'), outcomeAt: at('00:10') };

  it('is unknown before the device was targeted', () => {
    expect(deviceStatusAt(completed, at('00:00'))).toBeNull();
  });

  it('is pending from its target until its outcome', () => {
    expect(deviceStatusAt(completed, at('00:01'))).toBe('pending');
    expect(deviceStatusAt(completed, at('00:09'))).toBe('pending');
  });

  it('is its outcome from the outcome on', () => {
    expect(deviceStatusAt(completed, at('00:10'))).toBe('completed');
    expect(deviceStatusAt({ ...completed, status: 'failed' }, at('00:10'))).toBe('failed');
  });

  it('a device whose outcome came before its target is known from its outcome', () => {
    expect(deviceStatusAt({ status: 'failed', targetedAt: at('00:20'), outcomeAt: at('00:10') }, at('00:10'))).toBe('failed');
    expect(deviceStatusAt({ status: 'failed', targetedAt: null, outcomeAt: at('00:10') }, at('00:09'))).toBeNull();
  });

  it('a pending device is pending from its target on', () => {
    expect(deviceStatusAt({ status: 'pending', targetedAt: at('00:01'), outcomeAt: null }, at('59:00'))).toBe('pending');
  });

  it('a row without times shows at no moment', () => {
    expect(deviceStatusAt({ status: 'completed', targetedAt: null, outcomeAt: null }, at('59:00'))).toBeNull();
  });
});
