import { toWireMessage, WireMessage } from './envelope';
import { makeEnvelope } from './envelope-factory';
import { TOPICS, withLifecycleCopies } from './topics';

const event = (type: string, subject = 'job-1', topic: string = TOPICS.jobs): WireMessage =>
  toWireMessage(topic, makeEnvelope({ id: `${subject}:${type}`, type, version: 1, source: '/fleetjobs/test', subject, now: '2026-12-06T00:00:00.000Z', data: { jobId: subject } }));

describe('withLifecycleCopies', () => {
  it('follows each job event but the device outcomes with its copy for the lifecycle topic, in order', () => {
    const created = event('JobCreated');
    const succeeded = event('DeviceSucceeded');
    const failed = event('DeviceFailed');
    const finished = event('JobDispatchFinished');
    const copied = withLifecycleCopies([created, succeeded, failed, finished]);
    expect(copied.map((message) => `${message.topic} ${message.headers.ce_type}`)).toEqual([
      'fleetjobs.jobs JobCreated',
      'fleetjobs.jobs.lifecycle JobCreated',
      'fleetjobs.jobs DeviceSucceeded',
      'fleetjobs.jobs DeviceFailed',
      'fleetjobs.jobs JobDispatchFinished',
      'fleetjobs.jobs.lifecycle JobDispatchFinished',
    ]);
    expect(copied[1]).toEqual({ ...created, topic: TOPICS.jobLifecycle });
  });

  it('keeps a namespace prefix, copies a message without an event type, and leaves other topics alone', () => {
    const namespaced = event('JobStopped', 'job-2', `bench.${TOPICS.jobs}`);
    const untyped: WireMessage = { topic: TOPICS.jobs, key: 'job-3', headers: {}, value: 'not json' };
    const device = event('DeviceRegistered', 'device-1', TOPICS.devices);
    const copied = withLifecycleCopies([namespaced, untyped, device]);
    expect(copied.map((message) => message.topic)).toEqual([
      'bench.fleetjobs.jobs',
      'bench.fleetjobs.jobs.lifecycle',
      'fleetjobs.jobs',
      'fleetjobs.jobs.lifecycle',
      'fleetjobs.devices',
    ]);
  });

  it('answers the same array when there is nothing to copy: a batch of outcomes costs no allocation', () => {
    const outcomes = [event('DeviceSucceeded', 'job-1'), event('DeviceFailed', 'job-2'), event('JobCreated', 'job-3', `x.${TOPICS.jobLifecycle}`)];
    expect(withLifecycleCopies(outcomes)).toBe(outcomes);
  });
});
