import { releasableJobs } from './job-queue.policy';

describe('which queued jobs may start', () => {
  it('a job whose every waited-for job has ended', () => {
    expect(
      releasableJobs([
        { jobId: 'q1', waitsFor: 'a', waitedActive: false },
        { jobId: 'q1', waitsFor: 'b', waitedActive: false },
      ]),
    ).toEqual(['q1']);
  });

  it('not a job one of whose waited-for jobs is still active', () => {
    expect(
      releasableJobs([
        { jobId: 'q1', waitsFor: 'a', waitedActive: false },
        { jobId: 'q1', waitsFor: 'b', waitedActive: true },
        { jobId: 'q2', waitsFor: 'a', waitedActive: false },
      ]),
    ).toEqual(['q2']);
  });

  it('nothing when nothing waits', () => {
    expect(releasableJobs([])).toEqual([]);
  });
});
