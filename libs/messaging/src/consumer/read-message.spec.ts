import { toWireMessage, WireMessage } from '@fleetjobs/contracts';
import { readMessage } from './read-message';

function jobStopped(data: unknown): WireMessage {
  return toWireMessage('jobs.events', {
    id: 'event-1',
    type: 'JobStopped',
    version: 1,
    source: '/fleetjobs/job-command',
    subject: 'job-1',
    time: '2026-01-01T00:00:00.000Z',
    data,
  });
}

const validJobStopped = jobStopped({ jobId: 'job-1', stoppedAt: '2026-01-01T00:00:00.000Z' });

describe('readMessage', () => {
  it('reads a well-formed event of a wanted type', () => {
    const outcome = readMessage(validJobStopped, new Set(['JobStopped']));
    expect(outcome.kind === 'event' ? outcome.event.type : outcome.kind).toBe('JobStopped');
  });

  it('passes over a type the consumer does not want without reading its value', () => {
    const message = { ...validJobStopped, value: 'not json' };
    expect(readMessage(message, new Set(['JobCreated']))).toEqual({ kind: 'ignored' });
  });

  it('passes over a type this release does not know (a newer producer)', () => {
    const message = { ...validJobStopped, headers: { ...validJobStopped.headers, ce_type: 'JobArchived' } };
    expect(readMessage(message)).toEqual({ kind: 'ignored' });
  });

  it('finds a wanted type whose value is not JSON unreadable', () => {
    expect(readMessage({ ...validJobStopped, value: '{"jobId":' }, new Set(['JobStopped']))).toEqual(
      expect.objectContaining({ kind: 'unreadable', reason: 'unreadable-envelope' }),
    );
  });

  it('finds a message without CloudEvents headers unreadable', () => {
    expect(readMessage({ headers: {}, value: '{}' })).toEqual(expect.objectContaining({ kind: 'unreadable', reason: 'unreadable-envelope' }));
  });

  it('finds a known type with malformed data invalid, naming the problem', () => {
    const outcome = readMessage(jobStopped({ jobId: 42 }));
    expect(outcome).toEqual(expect.objectContaining({ kind: 'unreadable', reason: 'invalid-data' }));
    expect(outcome.kind === 'unreadable' && outcome.error.length).toBeGreaterThan(0);
  });
});
