import { cli, json } from './testing/cli.harness';

const JOB = { id: 'j1', displayName: 'Fan', deviceSet: 's', status: 'running', createdAt: '2026-01-01T00:00:00Z', operations: [], counts: { total: 2, pending: 1, completed: 1, failed: 0 } };

const sse = (...jobs: object[]) => jobs.map((job) => `event: job\ndata: ${JSON.stringify(job)}\n\n`).join(': heartbeat\n\n');

describe('fleetjobs command line', () => {
  it('creates a job from flags with PUT when an id is given, carrying the token from the environment', async () => {
    const { sent, stdout, run } = cli(() => json(201, { ...JOB, status: 'pending' }));
    expect(await run('jobs', 'create', '--id', 'j1', '--set', 's', '--operation', 'setting:fanSpeed=5', '--device', 'a,b')).toBe(0);
    expect(sent).toEqual([
      {
        method: 'PUT',
        url: 'http://fleet.test/api/jobs/j1',
        headers: expect.objectContaining({ authorization: 'Bearer fjt_env', 'content-type': 'application/json' }),
        body: { displayName: 'Job on s', deviceSet: 's', devices: ['a', 'b'], operations: [{ type: 'setting', name: 'fanSpeed', value: 5 }] },
      },
    ]);
    expect(stdout.text).toBe('job j1 created (pending)\n');
  });

  it('creates a job from a file with POST, flags taking precedence over the environment', async () => {
    const body = { displayName: 'F', deviceSet: 's', operations: [] };
    const { sent, stdout, run } = cli(() => json(201, { ...JOB, id: 'server-id' }), { files: { 'job.json': JSON.stringify(body) } });
    expect(await run('--json', 'jobs', 'create', '--file', 'job.json', '--url', 'http://other.test/', '--token', 'fjt_flag')).toBe(0);
    expect(sent[0]).toMatchObject({ method: 'POST', url: 'http://other.test/api/jobs', headers: { authorization: 'Bearer fjt_flag' }, body });
    expect(JSON.parse(stdout.text)).toMatchObject({ id: 'server-id' });
  });

  it('prints the problem and its fields to stderr and exits 1 when the API refuses', async () => {
    const problem = { type: 'about:blank', title: 'Bad Request', status: 400, detail: 'The job is not valid.', instance: '/api/jobs', errors: [{ field: 'operations[0].name', message: 'nope is not in the template' }] };
    const { stdout, stderr, run } = cli(() => json(400, problem, 'application/problem+json'));
    expect(await run('jobs', 'create', '--set', 's', '--operation', 'setting:nope=1')).toBe(1);
    expect(stdout.text).toBe('');
    expect(stderr.text).toBe('fleetjobs: Bad Request (400): The job is not valid.\n  operations[0].name: nope is not in the template\n');
  });

  it('sends no credential without a token, and explains the 401', async () => {
    const { sent, stderr, run } = cli(() => json(401, { title: 'Unauthorized', status: 401, detail: 'no credentials' }), { env: { FLEETJOBS_TOKEN: '' } });
    expect(await run('sets', 'list')).toBe(1);
    expect(sent[0].headers).not.toHaveProperty('authorization');
    expect(stderr.text).toMatch(/No token was given, and the API needs one \(401\)/);
  });

  it('exits 2 on bad usage without calling the API', async () => {
    const { sent, stderr, run } = cli(() => json(200, {}));
    expect(await run('jobs', 'create', '--set', 's')).toBe(2);
    expect(await run('jobs', 'list', '--status', 'done')).toBe(2);
    expect(await run('jobs', 'get')).toBe(2);
    expect(await run('devices', 'import', 'missing.csv')).toBe(2);
    expect(sent).toEqual([]);
    expect(stderr.text).toContain('--operation: is required');
    expect(stderr.text).toContain("argument 'done' is invalid");
    expect(stderr.text).toContain("missing required argument 'id'");
    expect(stderr.text).toContain('file: cannot read missing.csv (ENOENT)');
  });

  it('prints its version and help on stdout with exit 0', async () => {
    const { stdout, run } = cli(() => json(200, {}));
    expect(await run('--version')).toBe(0);
    expect(stdout.text).toBe('1.2.3\n');
    expect(await run('jobs', 'watch', '--help')).toBe(0);
    expect(stdout.text).toContain('exit code 0 completed, 3 failed, 4 stopped');
  });

  it('lists one page of jobs as a table, hinting at the next page', async () => {
    const { sent, stdout, stderr, run } = cli(() => json(200, { value: [JOB], nextCursor: 'c2' }));
    expect(await run('jobs', 'list', '--status', 'running', '--limit', '1')).toBe(0);
    expect(sent[0].url).toBe('http://fleet.test/api/jobs?status=running&limit=1');
    expect(stdout.text.split('\n')[0]).toMatch(/^ID\s+STATUS\s+DONE\s+FAILED\s+SET\s+CREATED\s+NAME$/);
    expect(stdout.text.split('\n')[1]).toMatch(/^j1\s+running\s+1\/2 \(50%\)\s+0\s+s\s+2026-01-01T00:00:00Z\s+Fan$/);
    expect(stderr.text).toBe('more: --cursor c2 (or --all)\n');
  });

  it('follows every page with --all', async () => {
    const { sent, stdout, run } = cli((request) => json(200, request.url.includes('cursor=c2') ? { value: [{ ...JOB, id: 'j2' }], nextCursor: null } : { value: [JOB], nextCursor: 'c2' }));
    expect(await run('jobs', 'list', '--all', '--json')).toBe(0);
    expect(sent.map((request) => request.url)).toEqual(['http://fleet.test/api/jobs', 'http://fleet.test/api/jobs?cursor=c2']);
    expect(JSON.parse(stdout.text)).toEqual({ value: [JOB, { ...JOB, id: 'j2' }], nextCursor: null });
  });

  it('watches a job to its end and exits by its final status', async () => {
    for (const [status, code] of [['completed', 0], ['failed', 3], ['stopped', 4]] as const) {
      const { sent, stdout, run } = cli(() => new Response(sse(JOB, { ...JOB, status, counts: { total: 2, pending: 0, completed: 1, failed: 1 } }), { headers: { 'content-type': 'text/event-stream' } }));
      expect(await run('jobs', 'watch', 'j1')).toBe(code);
      expect(sent[0]).toMatchObject({ url: 'http://fleet.test/api/jobs/j1/stream', headers: { accept: 'text/event-stream' } });
      expect(stdout.text.trimEnd().split('\n')).toEqual([
        '[############------------]  50% running   1/2 done · 1 completed · 0 failed · 1 pending',
        expect.stringMatching(new RegExp(`^\\[#+\\] 100% ${status}`)),
        `job j1 ${status}: 1 of 2 devices completed, 1 failed`,
      ]);
    }
  });

  it('redraws the progress line in place on a terminal', async () => {
    const done = { ...JOB, status: 'completed', counts: { total: 2, pending: 0, completed: 2, failed: 0 } };
    const { stdout, run } = cli(() => new Response(sse(JOB, JOB, done), { headers: { 'content-type': 'text/event-stream' } }));
    stdout.isTTY = true;
    expect(await run('jobs', 'watch', 'j1')).toBe(0);
    expect(stdout.writes).toEqual([
      expect.stringMatching(/^\r\x1b\[2K\[#+-+\]  50% running /),
      expect.stringMatching(/^\r\x1b\[2K\[#+\] 100% completed /),
      '\n',
      'job j1 completed: 2 of 2 devices completed, 0 failed\n',
    ]);
  });

  it('watches with --json as one JSON line per update', async () => {
    const done = { ...JOB, status: 'completed', counts: { total: 2, pending: 0, completed: 2, failed: 0 } };
    const { stdout, run } = cli(() => new Response(sse(JOB, done), { headers: { 'content-type': 'text/event-stream' } }));
    expect(await run('jobs', 'watch', 'j1', '--json')).toBe(0);
    expect(stdout.text.trimEnd().split('\n').map((line) => JSON.parse(line))).toEqual([JOB, done]);
  });

  it('reconnects when the stream ends before the job does', async () => {
    let calls = 0;
    const { run } = cli(() => {
      calls += 1;
      return new Response(sse(calls === 1 ? JOB : { ...JOB, status: 'completed' }), { headers: { 'content-type': 'text/event-stream' } });
    });
    expect(await run('jobs', 'watch', 'j1')).toBe(0);
    expect(calls).toBe(2);
  });

  it('waits for the stream of a job accepted a moment ago, and gives up on an unknown one', async () => {
    const missing = json(404, { title: 'Not Found', status: 404, detail: 'Job j1 does not exist.' }, 'application/problem+json');
    let streams = 0;
    const accepted = cli((request) => {
      if (!request.url.endsWith('/stream')) return json(200, { ...JOB, status: 'pending' });
      streams += 1;
      return streams === 1 ? missing.clone() : new Response(sse({ ...JOB, status: 'completed' }), { headers: { 'content-type': 'text/event-stream' } });
    });
    expect(await accepted.run('jobs', 'watch', 'j1')).toBe(0);
    expect(accepted.sent.map((request) => request.url)).toEqual(['http://fleet.test/api/jobs/j1/stream', 'http://fleet.test/api/jobs/j1', 'http://fleet.test/api/jobs/j1/stream']);
    const unknown = cli(() => missing.clone());
    expect(await unknown.run('jobs', 'watch', 'j1')).toBe(1);
    expect(unknown.sent).toHaveLength(2);
    expect(unknown.stderr.text).toBe('fleetjobs: Not Found (404): Job j1 does not exist.\n');
  });

  it('streams an export to stdout chunk by chunk as it arrives, asking with the Accept header', async () => {
    let push!: (text: string | null) => void;
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        push = (text) => (text === null ? controller.close() : controller.enqueue(new TextEncoder().encode(text)));
      },
    });
    const { sent, stdout, run } = cli(() => new Response(body, { headers: { 'content-type': 'text/csv' } }));
    const done = run('jobs', 'devices', 'j1', '--status', 'failed', '--output', 'csv');
    push('deviceId,status\r\n');
    await new Promise((resolve) => setImmediate(resolve));
    expect(stdout.text).toBe('deviceId,status\r\n');
    push('d1,failed\r\n');
    push(null);
    expect(await done).toBe(0);
    expect(stdout.text).toBe('deviceId,status\r\nd1,failed\r\n');
    expect(sent[0]).toMatchObject({ url: 'http://fleet.test/api/jobs/j1/devices?status=failed', headers: { accept: 'text/csv' } });
  });

  it('asks NDJSON with its media type, and gives JSON by pages with --json', async () => {
    const { sent, run, stdout } = cli((request) =>
      request.headers.accept === 'application/x-ndjson' ? new Response('{}\n') : json(200, { value: [{ deviceId: 'd1' }], nextCursor: null }),
    );
    expect(await run('jobs', 'devices', 'j1', '--output', 'ndjson')).toBe(0);
    expect(sent[0].headers.accept).toBe('application/x-ndjson');
    expect(await run('jobs', 'devices', 'j1', '--json')).toBe(0);
    expect(JSON.parse(stdout.text.slice('{}\n'.length))).toEqual([{ deviceId: 'd1' }]);
  });

  it('imports devices from a CSV file in batches of the API', async () => {
    const { sent, stdout, run } = cli(() => json(200, { created: 1, updated: 1 }), { files: { 'd.csv': 'id,displayName,template,tags.city\nvm-1,One,t,Seattle\nvm-2,Two,t,\n' } });
    expect(await run('devices', 'import', 'd.csv')).toBe(0);
    expect(sent[0]).toMatchObject({
      method: 'POST',
      url: 'http://fleet.test/api/devices/batch',
      body: { devices: [{ id: 'vm-1', displayName: 'One', template: 't', tags: { city: 'Seattle' } }, { id: 'vm-2', displayName: 'Two', template: 't' }] },
    });
    expect(stdout.text).toBe('2 devices written: 1 created, 1 updated\n');
  });

  it('imports the hub\'s devices with --from-hub', async () => {
    const { sent, stdout, run } = cli(() => json(200, { imported: 3, skipped: 1 }));
    expect(await run('devices', 'import', '--from-hub', '--json')).toBe(0);
    expect(sent[0]).toMatchObject({ method: 'POST', url: 'http://fleet.test/api/devices/import' });
    expect(JSON.parse(stdout.text)).toEqual({ imported: 3, skipped: 1 });
  });

  it('stops a job and shows one', async () => {
    const { sent, stdout, run } = cli((request) => json(200, { ...JOB, status: request.method === 'POST' ? 'stopped' : 'running' }));
    expect(await run('jobs', 'stop', 'a b')).toBe(0);
    expect(sent[0]).toMatchObject({ method: 'POST', url: 'http://fleet.test/api/jobs/a%20b/stop' });
    expect(stdout.text).toBe('job j1 stopped\n');
    expect(await run('jobs', 'get', 'j1')).toBe(0);
    expect(stdout.text).toContain('devices:    2 total · 1 completed · 0 failed · 1 pending');
  });
});
