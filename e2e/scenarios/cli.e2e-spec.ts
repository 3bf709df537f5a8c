import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventually, uniqueId } from '../support/fleetjobs.client';
import { VENDING_CAPABILITIES, waitForHubDevices } from '../support/fleet.fixture';
import { systemUnderTest } from '../support/system-under-test';

const { api, hub } = systemUnderTest();
const ROOT = join(__dirname, '..', '..');
const BIN = join(ROOT, 'bin', 'fleetjobs.js');
const work = mkdtempSync(join(tmpdir(), 'fleetjobs-cli-'));

afterAll(() => {
  rmSync(work, { recursive: true, force: true });
  return hub.close();
});

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** `npx fleetjobs …` as a shell user runs it: the built command, the system's address and admin token from the environment. */
function fleetjobs(args: string[], env: Record<string, string | undefined> = {}, command: string[] = [process.execPath, BIN]): Promise<Run> {
  const merged: Record<string, string | undefined> = { ...process.env, FLEETJOBS_URL: api.baseUrl, FLEETJOBS_TOKEN: api.token, ...env };
  for (const key of Object.keys(merged)) if (merged[key] === undefined) delete merged[key];
  return new Promise((resolve, reject) => {
    const child = spawn(command[0], [...command.slice(1), ...args], { cwd: ROOT, env: merged, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const file = (name: string, text: string) => {
  const path = join(work, name);
  writeFileSync(path, text);
  return path;
};

describe('the fleetjobs command line', () => {
  const prefix = uniqueId('cli');
  const template = `${prefix}-vm`;
  const fastSet = `${prefix}-fast`;
  const pacedSet = `${prefix}-paced`;
  const ids = [0, 1, 2, 3, 4].map((i) => `${prefix}-d${i}`);

  beforeAll(async () => {
    expect((await api.put(`/api/device-templates/${template}`, { displayName: 'Vending machine', capabilities: VENDING_CAPABILITIES })).status).toBe(201);
    for (const [set, group] of [[fastSet, 'fast'], [pacedSet, 'paced']]) {
      const conditions = [
        { field: 'template', operator: 'eq', value: template },
        { field: 'tags.group', operator: 'eq', value: group },
      ];
      expect((await api.put(`/api/device-sets/${set}`, { displayName: `CLI ${group}`, conditions })).status).toBe(201);
    }
  });

  it('runs as `npx fleetjobs`, the package\'s bin', async () => {
    const run = await fleetjobs(['--json', 'sets', 'list', '--limit', '1'], { npm_config_update_notifier: 'false' }, ['npx', '--no', '--', 'fleetjobs']);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(run.stdout)).toEqual({ value: [expect.objectContaining({ id: expect.any(String) })], nextCursor: expect.anything() });
  });

  it('imports devices from a CSV file, tags from JSON and from tags.<name> columns', async () => {
    const csv = [
      'id,displayName,template,tags,tags.group',
      `${ids[0]},"Machine, one",${template},,fast`,
      `${ids[1]},Machine two,${template},,fast`,
      `${ids[2]},Machine three,${template},"{""simulator"": {""failCommands"": [""reboot""]}}",fast`,
      `${ids[3]},Paced machine 1,${template},,paced`,
      `${ids[4]},Paced machine 2,${template},,paced`,
    ].join('\n');
    const run = await fleetjobs(['devices', 'import', file('devices.csv', `${csv}\n`)]);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout).toBe('5 devices written: 5 created, 0 updated\n');
    expect((await api.get(`/api/devices/${ids[0]}`)).body).toMatchObject({ displayName: 'Machine, one', template, tags: { group: 'fast' } });
    expect((await api.get(`/api/devices/${ids[2]}`)).body.tags).toEqual({ group: 'fast', simulator: { failCommands: ['reboot'] } });
    await waitForHubDevices(hub, ids);
  });

  it('refuses a bad device file with the API\'s field names on stderr and exit 1, writing none of it', async () => {
    const run = await fleetjobs(['devices', 'import', file('bad.json', JSON.stringify([{ id: `${prefix}-bad`, displayName: 'Bad', template: `${prefix}-no-such-template` }]))]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^fleetjobs: .+ \(4\d\d\)/);
    expect(run.stderr).toContain('devices[0].template');
    expect((await api.get(`/api/devices/${prefix}-bad`)).status).toBe(404);
  });

  it('creates a job from flags and watches it to completion: exit 0', async () => {
    const jobId = `${prefix}-fan`;
    const created = await fleetjobs(['jobs', 'create', '--id', jobId, '--name', 'Raise fan speed', '--set', fastSet, '--operation', 'setting:fanSpeed=5']);
    expect(created).toMatchObject({ code: 0, stderr: '' });
    expect(created.stdout).toMatch(new RegExp(`^job ${jobId} created \\((pending|running)\\)\\n$`));
    const watched = await fleetjobs(['jobs', 'watch', jobId]);
    expect(watched).toMatchObject({ code: 0, stderr: '' });
    const lines = watched.stdout.trimEnd().split('\n');
    expect(lines.at(-2)).toMatch(/^\[#+\] 100% completed 3\/3 done · 3 completed · 0 failed · 0 pending$/);
    expect(lines.at(-1)).toBe(`job ${jobId} completed: 3 of 3 devices completed, 0 failed`);
    expect((await api.get(`/api/jobs/${jobId}`)).body).toMatchObject({ status: 'completed', operations: [{ type: 'setting', name: 'fanSpeed', value: 5 }] });
  });

  it('creates a job from a file and watches it with --json; a failed job exits 3', async () => {
    const body = { displayName: 'Reboot', deviceSet: fastSet, operations: [{ type: 'command', name: 'reboot', value: {} }] };
    const run = await fleetjobs(['jobs', 'create', '--id', `${prefix}-reboot`, '--file', file('job.json', JSON.stringify(body)), '--watch', '--json']);
    expect(run).toMatchObject({ code: 3, stderr: '' });
    const updates = run.stdout.trimEnd().split('\n').map((line) => JSON.parse(line));
    expect(updates.at(-1)).toMatchObject({ id: `${prefix}-reboot`, status: 'failed', counts: { total: 3, completed: 2, failed: 1, pending: 0 } });
  });

  it('lists jobs and shows one, as text and as JSON', async () => {
    const table = await fleetjobs(['jobs', 'list', '--status', 'failed', '--limit', '5']);
    expect(table.code).toBe(0);
    expect(table.stdout.split('\n')[0]).toMatch(/^ID\s+STATUS\s+DONE\s+FAILED\s+SET\s+CREATED\s+NAME$/);
    expect(table.stdout).toMatch(new RegExp(`^${prefix}-reboot\\s+failed\\s+3/3 \\(100%\\)\\s+1\\s+${fastSet}\\s`, 'm'));
    const listed = await fleetjobs(['jobs', 'list', '--status', 'completed', '--limit', '5', '--json']);
    expect(JSON.parse(listed.stdout).value.map((job: { id: string }) => job.id)).toContain(`${prefix}-fan`);
    const got = await fleetjobs(['--json', 'jobs', 'get', `${prefix}-reboot`]);
    expect(JSON.parse(got.stdout)).toEqual((await api.get(`/api/jobs/${prefix}-reboot`)).body);
    const sets = await fleetjobs(['sets', 'list', '--all', '--json']);
    expect(JSON.parse(sets.stdout).value.filter((set: { id: string }) => set.id.startsWith(prefix)).map((set: { id: string }) => set.id).sort()).toEqual([fastSet, pacedSet]);
  });

  it('exports the failed devices of a job as CSV and NDJSON, the same devices as the JSON list', async () => {
    const failed = await api.all(`/api/jobs/${prefix}-reboot/devices?status=failed`);
    expect(failed.map((device) => device.deviceId)).toEqual([ids[2]]);
    const csv = await fleetjobs(['jobs', 'devices', `${prefix}-reboot`, '--status', 'failed', '--output', 'csv']);
    expect(csv).toMatchObject({ code: 0, stderr: '' });
    const [header, ...records] = csv.stdout.trimEnd().split('\r\n');
    expect(header).toMatch(/^deviceId,displayName,status,error,/);
    expect(records).toHaveLength(1);
    expect(records[0].startsWith(`${ids[2]},Machine three,failed,`)).toBe(true);
    const ndjson = await fleetjobs(['jobs', 'devices', `${prefix}-reboot`, '--status', 'failed', '--output', 'ndjson']);
    expect(ndjson.stdout.trimEnd().split('\n').map((line) => JSON.parse(line))).toEqual(failed);
  });

  it('stops a running job; watching it then exits 4', async () => {
    // One device a batch and ten minutes between batches: the job is still running when it is stopped.
    const jobId = `${prefix}-paced`;
    const body = { displayName: 'Paced', deviceSet: pacedSet, operations: [{ type: 'setting', name: 'fanSpeed', value: 1 }], rollout: { batches: { size: 1 }, pauseBetweenSeconds: 600 } };
    expect((await fleetjobs(['jobs', 'create', '--id', jobId, '--file', file('paced.json', JSON.stringify(body))])).code).toBe(0);
    const stopped = await fleetjobs(['jobs', 'stop', jobId]);
    expect(stopped).toMatchObject({ code: 0, stdout: `job ${jobId} stopped\n`, stderr: '' });
    const watched = await fleetjobs(['jobs', 'watch', jobId]);
    expect(watched.code).toBe(4);
    expect(watched.stdout).toMatch(new RegExp(`job ${jobId} stopped: `));
  });

  it('previews a job, reruns a failed one on its failed device, reverts a completed one, and reads a job at a past moment', async () => {
    const preview = await fleetjobs(['jobs', 'preview', '--set', fastSet, '--operation', 'property:location="Dock 4"']);
    expect(preview).toMatchObject({ code: 0, stderr: '' });
    expect(preview.stdout).toContain(`devices:   3 (${template} 3)`);
    expect(preview.stdout).toContain('on create: created and run (onConflict refuse)');

    const rerun = await fleetjobs(['jobs', 'rerun', `${prefix}-reboot`, '--id', `${prefix}-reboot-again`]);
    expect(rerun).toMatchObject({ code: 0, stderr: '' });
    expect(rerun.stdout).toMatch(new RegExp(`^job ${prefix}-reboot-again created \\(\\w+\\), rerun of ${prefix}-reboot\\n$`));
    expect((await fleetjobs(['jobs', 'watch', `${prefix}-reboot-again`])).code).toBe(3);
    expect((await api.all(`/api/jobs/${prefix}-reboot-again/devices`)).map((device) => device.deviceId)).toEqual([ids[2]]);

    // The fan job set a value the devices did not have: its revert cannot unset a setting, and says so.
    const reverted = await fleetjobs(['--json', 'jobs', 'revert', `${prefix}-fan`, '--id', `${prefix}-fan-undo`]);
    expect(reverted).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(reverted.stdout)).toMatchObject({ id: `${prefix}-fan-undo`, revertOf: `${prefix}-fan` });
    expect((await fleetjobs(['jobs', 'watch', `${prefix}-fan-undo`])).code).toBe(3);
    const undone = await api.all(`/api/jobs/${prefix}-fan-undo/devices`);
    expect(undone.filter((device) => !String(device.error).startsWith('not revertible:'))).toEqual([]);

    const settled = (await api.get(`/api/jobs/${prefix}-fan`)).body;
    const at = new Date(Date.parse(settled.createdAt) + 1).toISOString();
    const then = await fleetjobs(['--json', 'jobs', 'get', `${prefix}-fan`, '--at', at]);
    expect(then).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(then.stdout)).toEqual((await api.get(`/api/jobs/${prefix}-fan?at=${encodeURIComponent(at)}`)).body);
    expect(JSON.parse(then.stdout).status).not.toBe('completed');
  });

  it('pauses and resumes a running job', async () => {
    const jobId = `${prefix}-paced-again`;
    const body = { displayName: 'Paced again', deviceSet: pacedSet, operations: [{ type: 'setting', name: 'fanSpeed', value: 2 }], rollout: { batches: { size: 1 }, pauseBetweenSeconds: 600 } };
    expect((await fleetjobs(['jobs', 'create', '--id', jobId, '--file', file('paced-again.json', JSON.stringify(body))])).code).toBe(0);
    await eventually(() => api.get(`/api/jobs/${jobId}`), (response) => response.body.status === 'running', 60_000, 'the job to run');
    expect(await fleetjobs(['jobs', 'pause', jobId])).toMatchObject({ code: 0, stdout: `job ${jobId} paused\n`, stderr: '' });
    await eventually(() => api.get(`/api/jobs/${jobId}`), (response) => response.body.status === 'paused', 30_000, 'the read model to show the job paused');
    expect(await fleetjobs(['jobs', 'resume', jobId])).toMatchObject({ code: 0, stdout: `job ${jobId} running\n`, stderr: '' });
    expect((await fleetjobs(['jobs', 'stop', jobId])).code).toBe(0);
  });

  it('lists, shows, pauses, resumes and deletes a recurring schedule, and lists its runs', async () => {
    const scheduleId = `${prefix}-nightly`;
    const body = { displayName: 'Nightly fan reset', deviceSet: fastSet, operations: [{ type: 'setting', name: 'fanSpeed', value: 1 }], schedule: { recurrence: { cron: '0 3 * * *', timeZone: 'Europe/Berlin', count: 5 } } };
    const created = await fleetjobs(['--json', 'jobs', 'create', '--id', scheduleId, '--file', file('nightly.json', JSON.stringify(body))]);
    expect(created).toMatchObject({ code: 0, stderr: '' });
    const firstRun = JSON.parse(created.stdout);
    expect(firstRun).toMatchObject({ status: 'pending', scheduleId, scheduleRun: 1 });

    const listed = await fleetjobs(['schedules', 'list', '--all']);
    expect(listed).toMatchObject({ code: 0, stderr: '' });
    expect(listed.stdout).toMatch(new RegExp(`^${scheduleId}\\s+active\\s+0 3 \\* \\* \\* \\(Europe/Berlin\\), 5 runs\\s+\\S+\\s+1\\s+Nightly fan reset$`, 'm'));
    const shown = await fleetjobs(['--json', 'schedules', 'get', scheduleId]);
    expect(JSON.parse(shown.stdout)).toEqual((await api.get(`/api/schedules/${scheduleId}`)).body);
    expect(JSON.parse(shown.stdout)).toMatchObject({ status: 'active', nextRunId: firstRun.id, runs: 1 });

    expect(await fleetjobs(['schedules', 'pause', scheduleId])).toMatchObject({ code: 0, stdout: `schedule ${scheduleId} paused\n`, stderr: '' });
    expect(await fleetjobs(['schedules', 'resume', scheduleId])).toMatchObject({ code: 0, stdout: `schedule ${scheduleId} active\n`, stderr: '' });
    // The pause stopped run 1 before its start; the resume made run 2 (the read model follows in a moment).
    const runsOf = (page: { value: { status: string; scheduleRun: number }[] }) =>
      page.value.map(({ status, scheduleRun }) => ({ status, scheduleRun })).sort((a, b) => a.scheduleRun - b.scheduleRun);
    const expectedRuns = [
      { status: 'stopped', scheduleRun: 1 },
      { status: 'pending', scheduleRun: 2 },
    ];
    await eventually(() => api.get(`/api/jobs?scheduleId=${scheduleId}`), (response) => JSON.stringify(runsOf(response.body)) === JSON.stringify(expectedRuns), 30_000, 'both runs in the read model');
    const runs = await fleetjobs(['--json', 'schedules', 'runs', scheduleId]);
    expect(runsOf(JSON.parse(runs.stdout))).toEqual(expectedRuns);

    expect(await fleetjobs(['schedules', 'delete', scheduleId])).toMatchObject({ code: 0, stdout: `schedule ${scheduleId} deleted\n`, stderr: '' });
    const gone = await fleetjobs(['schedules', 'get', scheduleId]);
    expect(gone.code).toBe(1);
    expect(gone.stderr).toMatch(/\(404\)/);
  });

  it('refuses a bad job with the field name on stderr and exit 1, and bad usage with exit 2', async () => {
    const bad = await fleetjobs(['jobs', 'create', '--set', fastSet, '--operation', 'setting:selfDestruct=1']);
    expect(bad).toMatchObject({ code: 1, stdout: '' });
    expect(bad.stderr).toMatch(/^fleetjobs: .+ \(4\d\d\): /);
    expect(bad.stderr).toContain('operations[0].name');
    const usage = await fleetjobs(['jobs', 'create', '--operation', 'command:reboot']);
    expect(usage).toMatchObject({ code: 2, stdout: '' });
    expect(usage.stderr).toContain('--set: is required');
    const missing = await fleetjobs(['jobs', 'watch', `${prefix}-missing`]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/\(404\)/);
  });

  it('explains a missing or refused token (401) and exits 1', async () => {
    const none = await fleetjobs(['jobs', 'list'], { FLEETJOBS_TOKEN: undefined });
    expect(none).toMatchObject({ code: 1, stdout: '' });
    expect(none.stderr).toMatch(/\(401\)/);
    expect(none.stderr).toContain('authorization');
    expect(none.stderr).toContain('No token was given, and the API needs one (401). Give a token with --token <token> or FLEETJOBS_TOKEN');
    const refused = await fleetjobs(['sets', 'list', '--token', 'fjt_not-a-real-token']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('The API refused the token (401)');
  });

  it('explains a role too low (403) and exits 1', async () => {
    const viewer = await api.post('/api/tokens', { name: `${prefix} viewer`, role: 'viewer' });
    expect(viewer.status).toBe(201);
    const run = await fleetjobs(['jobs', 'stop', `${prefix}-fan`], { FLEETJOBS_TOKEN: viewer.body.token });
    expect(run).toMatchObject({ code: 1, stdout: '' });
    expect(run.stderr).toMatch(/^fleetjobs: .+ \(403\): this needs the operator role/i);
    expect(run.stderr).toContain('its role may not do this (403)');
  });
});
