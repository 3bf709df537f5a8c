import { addOverlapPage, describeOverlaps, OverlapCount } from './job-overlap.model';

const row = (jobId: string, sharedDevices: number, operations: OverlapCount['operations'] = []): OverlapCount => ({
  jobId,
  displayName: `Job ${jobId}`,
  status: 'running',
  operations,
  sharedDevices,
});

describe('overlaps of a previewed job with active jobs', () => {
  it('sums a job’s shared devices over the pages of the previewed job’s devices', () => {
    const first = addOverlapPage(new Map(), [row('a', 1000), row('b', 3)]);
    const both = addOverlapPage(first, [row('a', 200)]);
    expect([...both.values()].map(({ jobId, sharedDevices }) => [jobId, sharedDevices])).toEqual([
      ['a', 1200],
      ['b', 3],
    ]);
    expect(first.get('a')?.sharedDevices).toBe(1000);
  });

  it('names the properties and settings both jobs write, not commands nor other names', () => {
    const [overlap] = describeOverlaps(
      [
        { type: 'setting', name: 'fanSpeed' },
        { type: 'property', name: 'location' },
        { type: 'command', name: 'reboot' },
      ],
      [
        row('a', 2, [
          { type: 'setting', name: 'fanSpeed' },
          { type: 'property', name: 'fanSpeed' },
          { type: 'command', name: 'reboot' },
          { type: 'property', name: 'location' },
          { type: 'setting', name: 'fanSpeed' },
        ]),
      ],
    );
    expect(overlap.sameWrites).toEqual([
      { type: 'setting', name: 'fanSpeed' },
      { type: 'property', name: 'location' },
    ]);
  });

  it('answers no shared write when the jobs write different things', () => {
    const [overlap] = describeOverlaps([{ type: 'setting', name: 'fanSpeed' }], [row('a', 5, [{ type: 'setting', name: 'temperature' }])]);
    expect(overlap).toEqual({ jobId: 'a', displayName: 'Job a', status: 'running', sharedDevices: 5, sameWrites: [] });
  });

  it('lists the most shared devices first, then by id, and leaves out jobs sharing none', () => {
    const overlaps = describeOverlaps([], [row('c', 1), row('b', 7), row('a', 1), row('z', 0)]);
    expect(overlaps.map((overlap) => overlap.jobId)).toEqual(['b', 'a', 'c']);
  });
});
