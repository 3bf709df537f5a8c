import { cli, json } from '../testing/cli.harness';

const JOB = { id: 'j1', displayName: 'Fan', deviceSet: 's', status: 'paused', createdAt: '2026-01-01T00:00:00Z', operations: [] };

describe('fleetjobs jobs actions', () => {
  it.each(['approve', 'pause', 'resume'])('%s posts to the job\'s action and prints its status', async (action) => {
    const { sent, stdout, run } = cli(() => json(200, JOB));
    expect(await run('jobs', action, 'j 1')).toBe(0);
    expect(sent).toEqual([expect.objectContaining({ method: 'POST', url: `http://fleet.test/api/jobs/j%201/${action}`, body: undefined })]);
    expect(stdout.text).toBe('job j1 paused\n');
  });

  it('reruns on the failed devices by default, or on the devices named', async () => {
    const { sent, stdout, run } = cli(() => json(201, { ...JOB, id: 'j2', status: 'pending' }));
    expect(await run('jobs', 'rerun', 'j1')).toBe(0);
    expect(await run('jobs', 'rerun', 'j1', '--devices', 'd1, d2', '--id', 'again')).toBe(0);
    expect(await run('jobs', 'rerun', 'j1', '--devices', 'all')).toBe(0);
    expect(sent.map(({ method, url, body }) => ({ method, url, body }))).toEqual([
      { method: 'POST', url: 'http://fleet.test/api/jobs/j1/rerun', body: { devices: 'failed' } },
      { method: 'POST', url: 'http://fleet.test/api/jobs/j1/rerun', body: { devices: ['d1', 'd2'], id: 'again' } },
      { method: 'POST', url: 'http://fleet.test/api/jobs/j1/rerun', body: { devices: 'all' } },
    ]);
    expect(stdout.text.split('\n')[0]).toBe('job j2 created (pending), rerun of j1');
  });

  it('reverts with or without the new job\'s id, printing JSON when asked', async () => {
    const { sent, stdout, run } = cli(() => json(201, { ...JOB, id: 'undo', status: 'pending', revertOf: 'j1' }));
    expect(await run('--json', 'jobs', 'revert', 'j1', '--id', 'undo')).toBe(0);
    expect(sent[0]).toMatchObject({ method: 'POST', url: 'http://fleet.test/api/jobs/j1/revert', body: { id: 'undo' } });
    expect(JSON.parse(stdout.text)).toMatchObject({ id: 'undo', revertOf: 'j1' });
  });

  it('previews a job built from flags without creating it', async () => {
    const preview = {
      targets: { total: 2, byTemplate: [{ template: 'vm', devices: 2 }] },
      eta: { seconds: 1, sendingSeconds: 1, pauseSeconds: 0, batches: 1, requestsPerDevice: 1, peakDevicesPerMinute: null, limitedBy: 'none' },
      overlaps: [],
      conflict: { onConflict: 'refuse', outcome: 'create', jobs: [] },
    };
    const { sent, stdout, run } = cli(() => json(200, preview));
    expect(await run('jobs', 'preview', '--set', 's', '--operation', 'setting:fanSpeed=5')).toBe(0);
    expect(sent[0]).toMatchObject({ method: 'POST', url: 'http://fleet.test/api/jobs/preview', body: { deviceSet: 's', operations: [{ type: 'setting', name: 'fanSpeed', value: 5 }] } });
    expect(stdout.text).toContain('devices:   2 (vm 2)');
    expect(stdout.text).toContain('on create: created and run');
  });

  it('asks for a job and its devices at a past moment with --at', async () => {
    const { sent, run } = cli((request) => json(200, request.url.includes('/devices') ? { value: [], nextCursor: null } : { ...JOB, counts: { total: 0, pending: 0, completed: 0, failed: 0 } }));
    expect(await run('jobs', 'get', 'j1', '--at', '2026-01-01T00:00:05Z')).toBe(0);
    expect(await run('jobs', 'devices', 'j1', '--at', '2026-01-01T00:00:05Z', '--json')).toBe(0);
    expect(sent.map((request) => request.url)).toEqual([
      'http://fleet.test/api/jobs/j1?at=2026-01-01T00%3A00%3A05Z',
      'http://fleet.test/api/jobs/j1/devices?at=2026-01-01T00%3A00%3A05Z',
    ]);
  });
});
