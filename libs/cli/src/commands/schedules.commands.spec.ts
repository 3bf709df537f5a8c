import { cli, json } from '../testing/cli.harness';

const SCHEDULE = {
  id: 'nightly',
  displayName: 'Nightly fan reset',
  status: 'active',
  recurrence: { cron: '0 2 * * *', timeZone: 'Europe/Berlin', count: 4 },
  nextRunAt: '2026-01-02T01:00:00.000Z',
  runs: 1,
  nextRunId: 'nightly.run-1',
  lastRunId: null,
  job: { description: '', deviceSet: 's', devices: null, operations: [{ type: 'setting', name: 'fanSpeed', value: 1 }] },
  createdAt: '2026-01-01T00:00:00Z',
  createdBy: null,
};

describe('fleetjobs schedules', () => {
  it('lists schedules as a table: what repeats, the next run and the runs so far', async () => {
    const { sent, stdout, run } = cli(() => json(200, { value: [SCHEDULE], nextCursor: null }));
    expect(await run('schedules', 'list', '--limit', '5')).toBe(0);
    expect(sent[0].url).toBe('http://fleet.test/api/schedules?limit=5');
    const [header, row] = stdout.text.split('\n');
    expect(header).toMatch(/^ID\s+STATUS\s+REPEATS\s+NEXT RUN\s+RUNS\s+NAME$/);
    expect(row).toMatch(/^nightly\s+active\s+0 2 \* \* \* \(Europe\/Berlin\), 4 runs\s+2026-01-02T01:00:00.000Z\s+1\s+Nightly fan reset$/);
  });

  it('shows one schedule with its next run', async () => {
    const { stdout, run } = cli(() => json(200, SCHEDULE));
    expect(await run('schedules', 'get', 'nightly')).toBe(0);
    expect(stdout.text).toContain('next run:   nightly.run-1 at 2026-01-02T01:00:00.000Z');
    expect(stdout.text).toContain('operations: setting:fanSpeed=1');
  });

  it('lists a schedule\'s runs from the jobs filtered by it', async () => {
    const { sent, run } = cli(() => json(200, { value: [], nextCursor: null }));
    expect(await run('schedules', 'runs', 'nightly')).toBe(0);
    expect(sent[0].url).toBe('http://fleet.test/api/jobs?scheduleId=nightly');
  });

  it('pauses, resumes and deletes, printing what became of the schedule', async () => {
    const { sent, stdout, run } = cli((request) =>
      request.method === 'DELETE' ? new Response(null, { status: 204 }) : json(200, { ...SCHEDULE, status: request.url.endsWith('/pause') ? 'paused' : 'active' }),
    );
    expect(await run('schedules', 'pause', 'nightly')).toBe(0);
    expect(await run('schedules', 'resume', 'nightly')).toBe(0);
    expect(await run('schedules', 'delete', 'nightly')).toBe(0);
    expect(sent.map(({ method, url }) => `${method} ${url}`)).toEqual([
      'POST http://fleet.test/api/schedules/nightly/pause',
      'POST http://fleet.test/api/schedules/nightly/resume',
      'DELETE http://fleet.test/api/schedules/nightly',
    ]);
    expect(stdout.text).toBe('schedule nightly paused\nschedule nightly active\nschedule nightly deleted\n');
  });

  it('says a schedule does not exist with the API\'s 404 and exit 1', async () => {
    const { stderr, run } = cli(() => json(404, { title: 'Not Found', status: 404, detail: 'Schedule "gone" does not exist.' }, 'application/problem+json'));
    expect(await run('schedules', 'get', 'gone')).toBe(1);
    expect(stderr.text).toMatch(/\(404\)/);
  });
});
