import { formatDuration, formatPreview } from './preview.format';

describe('formatDuration', () => {
  it.each([
    [0, '0 s'],
    [59.4, '59 s'],
    [60, '1 min 0 s'],
    [725, '12 min 5 s'],
    [12_000, '3 h 20 min'],
  ])('%s seconds read as %s', (seconds, text) => expect(formatDuration(seconds)).toBe(text));
});

describe('formatPreview', () => {
  const eta = { seconds: 132, sendingSeconds: 12, pauseSeconds: 120, batches: 3, requestsPerDevice: 2, peakDevicesPerMinute: 600, limitedBy: 'rollout' as const };

  it('says the devices per template, the estimate and that the job would be created', () => {
    const text = formatPreview({
      targets: { total: 120, byTemplate: [{ template: 'vm', devices: 100 }, { template: 'kiosk', devices: 20 }] },
      eta,
      overlaps: [],
      conflict: { onConflict: 'refuse', outcome: 'create', jobs: [] },
    });
    expect(text).toContain('devices:   120 (vm 100, kiosk 20)');
    expect(text).toContain('eta:       2 min 12 s (limited by rollout; 3 batches, 2 min 0 s of pauses)');
    expect(text).toContain('on create: created and run (onConflict refuse)');
    expect(text).not.toContain('overlapping');
  });

  it('names the conflicting jobs and lists every overlap with what both write', () => {
    const text = formatPreview({
      targets: { total: 40, byTemplate: [{ template: 'vm', devices: 40 }] },
      eta,
      overlaps: [
        { jobId: 'lower-fan', displayName: 'Lower fan speed', status: 'paused', sharedDevices: 40, sameWrites: [{ type: 'setting', name: 'fanSpeed' }] },
        { jobId: 'reboot-all', displayName: 'Reboot', status: 'running', sharedDevices: 3, sameWrites: [] },
      ],
      conflict: { onConflict: 'queue', outcome: 'queue', jobs: ['lower-fan'] },
    });
    expect(text).toContain('on create: queued behind lower-fan (onConflict queue)');
    const table = text.split('overlapping active jobs:\n')[1].trimEnd().split('\n');
    expect(table[0]).toMatch(/^JOB\s+STATUS\s+SHARED\s+SAME WRITES\s+NAME$/);
    expect(table[1]).toMatch(/^lower-fan\s+paused\s+40\s+setting:fanSpeed\s+Lower fan speed$/);
    expect(table[2]).toMatch(/^reboot-all\s+running\s+3\s+-\s+Reboot$/);
  });
});
