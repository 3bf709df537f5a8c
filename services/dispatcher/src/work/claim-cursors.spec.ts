import { ClaimCursors } from './claim-cursors';

describe('ClaimCursors', () => {
  it('given no claim yet, then a job has no cursor', () => {
    expect(new ClaimCursors(5000).current(0)).toEqual([]);
  });

  it("given claims of a job, then its cursor is the last claim's last device", () => {
    const cursors = new ClaimCursors(5000);
    cursors.advance([{ jobId: 'job-1', after: 'dev-10' }], 0);
    cursors.advance([{ jobId: 'job-1', after: 'dev-20' }, { jobId: 'job-2', after: 'dev-03' }], 1000);
    expect(cursors.current(2000)).toEqual([
      { jobId: 'job-1', after: 'dev-20' },
      { jobId: 'job-2', after: 'dev-03' },
    ]);
  });

  it('given a cursor set its lifetime ago, then it is dropped, however often it moved since', () => {
    const cursors = new ClaimCursors(5000);
    cursors.advance([{ jobId: 'job-1', after: 'dev-10' }], 0);
    cursors.advance([{ jobId: 'job-1', after: 'dev-20' }], 4999);
    expect(cursors.current(4999)).toEqual([{ jobId: 'job-1', after: 'dev-20' }]);
    expect(cursors.current(5000)).toEqual([]);
    cursors.advance([{ jobId: 'job-1', after: 'dev-30' }], 5000);
    expect(cursors.current(9999)).toEqual([{ jobId: 'job-1', after: 'dev-30' }]);
  });
});
