import type { JobOverlap } from '../preview/job-overlap.model';
import { conflictsAmong, decideOnConflict, mayConflict, queueBehind } from './job-conflict.policy';

const overlap = (jobId: string, sharedDevices: number, sameWrites: JobOverlap['sameWrites']): JobOverlap => ({
  jobId,
  displayName: `Job ${jobId}`,
  status: 'running',
  sharedDevices,
  sameWrites,
});
const fan = [{ type: 'setting' as const, name: 'fanSpeed' }];
const overlaps = [overlap('b', 12, fan), overlap('reboots', 40, []), overlap('a', 3, [{ type: 'property', name: 'location' }])];

describe('which overlaps conflict', () => {
  it('is a job sharing devices and writing the same property or setting', () => {
    expect(conflictsAmong(overlaps).map((conflict) => [conflict.jobId, conflict.sharedDevices])).toEqual([
      ['b', 12],
      ['a', 3],
    ]);
  });

  it('is never a job that only shares devices (commands, other names)', () => {
    expect(conflictsAmong([overlap('reboots', 40, [])])).toEqual([]);
  });

  it('is never a job sharing no device', () => {
    expect(conflictsAmong([overlap('b', 0, fan)])).toEqual([]);
  });
});

describe('what onConflict does', () => {
  it('refuses a conflicting job, naming every conflicting job', () => {
    expect(decideOnConflict('refuse', overlaps)).toEqual({ outcome: 'refuse', conflicts: conflictsAmong(overlaps) });
  });

  it('queues a conflicting job behind every conflicting job, in id order', () => {
    expect(decideOnConflict('queue', overlaps)).toEqual({ outcome: 'queue', conflicts: conflictsAmong(overlaps), waitingFor: ['a', 'b'] });
  });

  it('creates a conflicting job it is told to allow, still naming the conflicts', () => {
    expect(decideOnConflict('allow', overlaps)).toEqual({ outcome: 'create', conflicts: conflictsAmong(overlaps) });
  });

  it.each(['refuse', 'queue', 'allow'] as const)('creates a job without conflicts under %s', (onConflict) => {
    expect(decideOnConflict(onConflict, [overlap('reboots', 40, [])])).toEqual({ outcome: 'create', conflicts: [] });
  });
});

describe('whether a job can conflict at all', () => {
  it('only when it writes a property or a setting', () => {
    expect(mayConflict([{ type: 'command' }])).toBe(false);
    expect(mayConflict([{ type: 'command' }, { type: 'property' }])).toBe(true);
    expect(mayConflict([{ type: 'setting' }])).toBe(true);
  });
});

describe('what a queued job waits for', () => {
  const writesFan = [{ type: 'setting', name: 'fanSpeed' }];

  it('the conflicting jobs and the jobs already queued behind them writing the same', () => {
    const peers = [
      { jobId: 'q1', waitsFor: ['b'], operations: writesFan },
      { jobId: 'q2', waitsFor: ['b'], operations: [{ type: 'setting', name: 'temperature' }] },
      { jobId: 'q3', waitsFor: ['z'], operations: writesFan },
    ];
    expect(queueBehind(['b'], writesFan, peers)).toEqual(['b', 'q1']);
  });

  it('only the conflicting jobs when nothing else is queued behind them', () => {
    expect(queueBehind(['b', 'a'], writesFan, [])).toEqual(['a', 'b']);
  });
});
