import { MAX_EXPLICIT_DEVICES } from '@fleetjobs/contracts';
import { decide, evolve, initialState, JobDefinition, JobEvent, JobState } from '../job.decider';
import { JobNotFound, JobStillActive } from '../job.errors';
import { rerunnable, selectRerunDevices } from './rerun-devices.policy';

const now = '2026-12-05T10:00:00.000Z';
const jobId = 'raise-fan-speed';
const definition: JobDefinition = {
  displayName: 'Raise fan speed',
  description: '',
  deviceSet: 'seattle-vms',
  devices: null,
  operations: [{ type: 'setting', name: 'fanSpeed', value: 5 }],
};
const created = (devices: string[] | null = null): JobEvent => ({
  type: 'JobCreated',
  data: { jobId, ...definition, devices, template: 'vending-machine', createdAt: now },
});
const started: JobEvent = { type: 'JobStarted', data: { jobId, total: 3, startedAt: now } };
const paused: JobEvent = { type: 'JobPaused', data: { jobId, pausedAt: now } };
const completed: JobEvent = { type: 'JobCompleted', data: { jobId, completed: 2, endedAt: now } };
const stopped: JobEvent = { type: 'JobStopped', data: { jobId, stoppedAt: now } };
const after = (...events: JobEvent[]): JobState => events.reduce(evolve, initialState());
const ended = (devices: string[] | null = null) => rerunnable(jobId, after(created(devices), started, completed));

describe('rerun of a job', () => {
  it('is refused for a job that does not exist', () => {
    expect(() => rerunnable(jobId, initialState())).toThrow(JobNotFound);
  });

  it.each([
    ['pending', [created()]],
    ['running', [created(), started]],
    ['paused', [created(), started, paused]],
  ])('is refused while the job is %s', (status, events) => {
    expect(() => rerunnable(jobId, after(...events))).toThrow(new JobStillActive(jobId, status));
  });

  it.each([
    ['completed', [created(), started, completed]],
    ['stopped', [created(), started, stopped]],
  ])('is allowed once the job %s', (_, events) => {
    expect(rerunnable(jobId, after(...events)).jobId).toBe(jobId);
  });
});

describe('the devices of a rerun', () => {
  it('on failed devices: exactly the failed ones, in id order, whatever the original named', () => {
    expect(selectRerunDevices(ended(), 'failed', { failed: ['vm-3', 'vm-1'] })).toEqual({ ok: true, devices: ['vm-1', 'vm-3'] });
    expect(selectRerunDevices(ended(['vm-1', 'vm-2', 'vm-3']), 'failed', { failed: ['vm-2'] })).toEqual({ ok: true, devices: ['vm-2'] });
  });

  it('on failed devices waits while the read model knows fewer failed devices than the job counted at its end', () => {
    const failedJob: JobEvent = { type: 'JobFailed', data: { jobId, reason: '3 of 5 devices failed', completed: 2, failed: 3, endedAt: now } };
    const original = rerunnable(jobId, after(created(), started, failedJob));
    expect(selectRerunDevices(original, 'failed', { failed: ['vm-1', 'vm-3'] })).toEqual({ ok: 'later', detail: expect.stringContaining('3 devices failed') });
    expect(selectRerunDevices(original, 'failed', { failed: ['vm-1', 'vm-3', 'vm-5'] })).toEqual({ ok: true, devices: ['vm-1', 'vm-3', 'vm-5'] });
  });

  it('on failed devices is refused, naming devices, when none failed', () => {
    const selection = selectRerunDevices(ended(), 'failed', { failed: [] });
    expect(selection).toEqual({ ok: false, errors: [{ field: 'devices', message: expect.stringContaining('no failed devices') }] });
  });

  it('on failed devices is refused, naming devices, when more failed than a job may name', () => {
    const failed = Array.from({ length: MAX_EXPLICIT_DEVICES + 1 }, (_, n) => `vm-${n}`);
    expect(selectRerunDevices(ended(), 'failed', { failed })).toEqual({
      ok: false,
      errors: [{ field: 'devices', message: expect.stringContaining(`more than ${MAX_EXPLICIT_DEVICES}`) }],
    });
    expect(selectRerunDevices(ended(), 'failed', { failed: failed.slice(1) })).toMatchObject({ ok: true });
  });

  it('on all devices: the original devices as it named them, or its whole set', () => {
    expect(selectRerunDevices(ended(['vm-2', 'vm-1']), 'all', {})).toEqual({ ok: true, devices: ['vm-2', 'vm-1'] });
    expect(selectRerunDevices(ended(), 'all', {})).toEqual({ ok: true, devices: null });
  });

  it('on listed devices: those devices, when the original named them all', () => {
    expect(selectRerunDevices(ended(['vm-1', 'vm-2', 'vm-3']), ['vm-3', 'vm-1'], {})).toEqual({ ok: true, devices: ['vm-3', 'vm-1'] });
  });

  it('on listed devices is refused, naming each device the original did not name', () => {
    expect(selectRerunDevices(ended(['vm-1', 'vm-2']), ['vm-9', 'vm-1', 'vm-8'], {})).toEqual({
      ok: false,
      errors: [
        { field: 'devices[0]', message: '"vm-9" was not a device of the original job' },
        { field: 'devices[2]', message: '"vm-8" was not a device of the original job' },
      ],
    });
  });

  it('on listed devices of a set-wide job: refused for those the read model says it did not target', () => {
    expect(selectRerunDevices(ended(), ['vm-1', 'vm-7'], { outside: ['vm-7'] })).toEqual({
      ok: false,
      errors: [{ field: 'devices[1]', message: '"vm-7" was not a device of the original job' }],
    });
    expect(selectRerunDevices(ended(), ['vm-1'], { outside: [] })).toEqual({ ok: true, devices: ['vm-1'] });
  });
});

describe('the rerun job', () => {
  it('records the job it reruns on its JobCreated, and keeps it in its state', () => {
    const events = decide({ type: 'CreateJob', jobId: 'again', definition, template: 'vending-machine', now, rerunOf: jobId }, initialState());
    expect(events).toEqual([expect.objectContaining({ type: 'JobCreated', data: expect.objectContaining({ rerunOf: jobId }) })]);
    expect(after(...events)).toMatchObject({ rerunOf: jobId });
    expect(after(created())).toMatchObject({ rerunOf: null });
  });
});
