import { decide, evolve, initialState, JobDefinition, JobEvent, JobState } from '../job.decider';
import { JobNotFound, JobStillActive } from '../job.errors';
import { NothingToRevert, revertDefinition, revertible } from './revert-job.policy';

const now = '2026-12-05T10:00:00.000Z';
const jobId = 'move-to-berlin';
const definition: JobDefinition = {
  displayName: 'Move to Berlin',
  description: 'New office',
  deviceSet: 'berlin-vms',
  devices: ['vm-1', 'vm-2'],
  operations: [
    { type: 'property', name: 'location', value: 'Berlin' },
    { type: 'command', name: 'reboot', value: {} },
    { type: 'setting', name: 'fanSpeed', value: 5 },
    { type: 'property', name: 'location', value: 'Berlin-Mitte' },
  ],
  rollout: { batches: { size: 1 } },
};
const created = (operations = definition.operations): JobEvent => ({
  type: 'JobCreated',
  data: { jobId, ...definition, operations, template: 'vending-machine', createdAt: now },
});
const started: JobEvent = { type: 'JobStarted', data: { jobId, total: 2, startedAt: now } };
const paused: JobEvent = { type: 'JobPaused', data: { jobId, pausedAt: now } };
const completed: JobEvent = { type: 'JobCompleted', data: { jobId, completed: 2, endedAt: now } };
const failed: JobEvent = { type: 'JobFailed', data: { jobId, reason: '1 of 2 devices failed', completed: 1, failed: 1, endedAt: now } };
const stopped: JobEvent = { type: 'JobStopped', data: { jobId, stoppedAt: now } };
const after = (...events: JobEvent[]): JobState => events.reduce(evolve, initialState());

describe('whether a job can be reverted', () => {
  it('is refused for a job that does not exist', () => {
    expect(() => revertible(jobId, initialState())).toThrow(JobNotFound);
  });

  it.each([
    ['pending', [created()]],
    ['running', [created(), started]],
    ['paused', [created(), started, paused]],
  ])('is refused while the job is %s', (status, events) => {
    expect(() => revertible(jobId, after(...events))).toThrow(new JobStillActive(jobId, status));
  });

  it.each([
    ['completed', [created(), started, completed]],
    ['failed', [created(), started, failed]],
    ['stopped', [created(), started, stopped]],
  ])('is allowed once the job %s', (_, events) => {
    expect(revertible(jobId, after(...events)).jobId).toBe(jobId);
  });

  it('is refused for a job of commands only, which wrote nothing to put back', () => {
    expect(() => revertible(jobId, after(created([{ type: 'command', name: 'reboot', value: {} }]), started, completed))).toThrow(NothingToRevert);
  });
});

describe('the revert job', () => {
  it('writes each property and setting of the original once, leaving commands out, on the devices it named, with its rollout', () => {
    expect(revertDefinition(jobId, definition)).toEqual({
      displayName: 'Revert: Move to Berlin',
      description: 'Puts back the values that job "move-to-berlin" replaced.',
      deviceSet: 'berlin-vms',
      devices: ['vm-1', 'vm-2'],
      operations: [
        { type: 'property', name: 'location', value: 'Berlin' },
        { type: 'setting', name: 'fanSpeed', value: 5 },
      ],
      rollout: { batches: { size: 1 } },
      revertOf: jobId,
    });
  });

  it('reaches the whole set when the original did, and never inherits a schedule', () => {
    const setWide = { ...definition, devices: null, rollout: undefined, schedule: { startAt: now } };
    const revert = revertDefinition(jobId, setWide);
    expect(revert).toMatchObject({ devices: null, revertOf: jobId });
    expect(revert).not.toHaveProperty('schedule');
    expect(revert).not.toHaveProperty('rollout');
  });

  it('keeps its name within the limit', () => {
    expect(revertDefinition(jobId, { ...definition, displayName: 'x'.repeat(200) }).displayName).toHaveLength(200);
  });

  it('names the reverted job on its JobCreated, and keeps it in its definition', () => {
    const revert = revertDefinition(jobId, definition);
    const events = decide({ type: 'CreateJob', jobId: 'undo', definition: revert, template: 'vending-machine', now }, initialState());
    expect(events).toEqual([expect.objectContaining({ type: 'JobCreated', data: expect.objectContaining({ revertOf: jobId }) })]);
    expect(after(...events)).toMatchObject({ definition: revert });
  });
});
