import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { testPostgresUrl, waitFor } from '@fleetjobs/testing';

const SWC_REGISTER = join(__dirname, '../../..', 'tools', 'jest', 'swc-register.js');

async function admin(sql: string): Promise<void> {
  const client = new Client({ connectionString: testPostgresUrl() });
  await client.connect();
  await client.query(sql).finally(() => client.end());
}

describe('hub simulator process', () => {
  const database = `fleetjobs_test_hubsim_main_${randomBytes(4).toString('hex')}`;
  const key = randomBytes(32).toString('base64');
  const tlsDir = mkdtempSync(join(tmpdir(), 'hub-simulator-main-'));
  let child: ChildProcess | undefined;
  let output = '';

  beforeAll(async () => {
    await admin(`CREATE DATABASE ${database}`);
  });

  afterAll(async () => {
    if (child && child.exitCode === null) {
      const exited = new Promise((resolve) => child!.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
    await admin(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
  });

  it('logs its connection string without the key, and keeps the full one in a file only its owner reads', async () => {
    child = spawn(process.execPath, ['-r', SWC_REGISTER, join(__dirname, 'main.ts')], {
      env: { ...process.env, DATABASE_URL: testPostgresUrl(database), LOG_LEVEL: 'info', HUB_SIMULATOR_PORT: '0', HUB_SIMULATOR_OPS_PORT: '0', HUB_SIMULATOR_KEY: key, HUB_SIMULATOR_TLS_DIR: tlsDir },
    });
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    await waitFor('the simulator to say where its CA is', () => output.includes('HUB_CA_CERT_FILE=') || child?.exitCode !== null, 60_000);

    expect(output).toMatch(/HUB_CONNECTION_STRING=HostName=127\.0\.0\.1:\d+;SharedAccessKeyName=iothubowner;SharedAccessKey=<redacted>/);
    expect(output).not.toContain(key);
    const file = join(tlsDir, 'connection-string');
    expect(readFileSync(file, 'utf8')).toMatch(new RegExp(`^HostName=127\\.0\\.0\\.1:\\d+;SharedAccessKeyName=iothubowner;SharedAccessKey=${key.replace(/[+/]/g, '\\$&')}$`));
    expect(statSync(file).mode & 0o077).toBe(0);
  }, 90_000);

  it('writes its log as JSON lines and answers health and metrics on its operability port', async () => {
    const lines = output.split('\n').filter((line) => line.trim() !== '');
    for (const line of lines) expect(JSON.parse(line)).toMatchObject({ service: 'hub-simulator', msg: expect.any(String) });
    const opsPort = lines.map((line) => JSON.parse(line).opsPort).find((port) => port !== undefined);
    expect(opsPort).toEqual(expect.any(Number));
    expect((await fetch(`http://127.0.0.1:${opsPort}/health/live`)).status).toBe(200);
    expect((await fetch(`http://127.0.0.1:${opsPort}/health/ready`)).status).toBe(200);
    expect(await (await fetch(`http://127.0.0.1:${opsPort}/metrics`)).text()).toContain('process_resident_memory_bytes');
  });
});
