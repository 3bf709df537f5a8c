import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HubSimulatorAdminClient } from '@fleetjobs/hub-simulator';
import { EmbeddedProcess, startEmbeddedProcess } from '@fleetjobs/runtime';
import { eventually, FleetjobsClient } from '../support/fleetjobs.client';
import { createFleet, waitForJobEnd } from '../support/fleet.fixture';
import { allHubOperations } from '../support/hub-operations';
import { expectEachDeviceOnceAndOnlyOnce } from './restart-invariants';

describe.each([
  ['a clean stop (SIGTERM)', 'SIGTERM' as const],
  ['a crash (kill -9)', 'SIGKILL' as const],
])('the embedded process, stopped mid-job by %s and started again', (_label, signal) => {
  let embedded: EmbeddedProcess;
  let api: FleetjobsClient;
  let hub: HubSimulatorAdminClient;

  beforeAll(async () => {
    embedded = await startEmbeddedProcess({
      port: signal === 'SIGTERM' ? 3960 : 3961,
      dataDir: join(mkdtempSync(join(tmpdir(), 'fleetjobs-restart-')), 'data'),
      env: { LOG_LEVEL: 'warn', DISPATCH_CONCURRENCY: '16' },
    });
    api = new FleetjobsClient(embedded.baseUrl, embedded.adminToken);
    hub = new HubSimulatorAdminClient(embedded.hub.connectionString, readFileSync(embedded.hub.caFile, 'utf8'));
  });

  afterAll(async () => {
    hub?.close();
    await embedded?.stop();
  });

  it('finishes the job with every device in exactly one outcome and no operation run twice', async () => {
    const fleet = await createFleet(api, hub, { label: 'restart', count: 150, simulator: () => ({ latencyMs: 150 }) });
    const jobId = 'restart-job';
    expect((await api.put(`/api/jobs/${jobId}`, { displayName: 'Reboot', deviceSet: fleet.deviceSet, operations: [{ type: 'command', name: 'reboot', value: {} }] })).status).toBe(201);
    await eventually(() => api.get(`/api/jobs/${jobId}`), (r) => r.body?.counts?.completed >= 20, 60_000, 'the job under way');
    await embedded.stop(signal);
    hub.close();
    await embedded.restart();
    hub = new HubSimulatorAdminClient(readFileSync(join(embedded.dataDir, 'hub/connection-string'), 'utf8').trim(), readFileSync(embedded.hub.caFile, 'utf8'));
    const job = await waitForJobEnd(api, jobId, 120_000);
    expect(job.counts.total).toBe(150);
    const outcome = await expectEachDeviceOnceAndOnlyOnce(api, hub, jobId, fleet.deviceIds);
    if (signal === 'SIGTERM') {
      expect(outcome.unknown).toBe(0);
      expect(job.status).toBe('completed');
    }
    process.stdout.write(`embedded ${signal}: ${outcome.completed} completed, ${outcome.unknown} concluded as unknown\n`);
  });
});

describe('the embedded process, killed (kill -9) mid setting job and started again', () => {
  const DEVICES = 3000;
  let embedded: EmbeddedProcess;
  let api: FleetjobsClient;
  let hub: HubSimulatorAdminClient;

  beforeAll(async () => {
    embedded = await startEmbeddedProcess({
      port: 3962,
      dataDir: join(mkdtempSync(join(tmpdir(), 'fleetjobs-restart-')), 'data'),
      env: { LOG_LEVEL: 'warn' },
    });
    api = new FleetjobsClient(embedded.baseUrl, embedded.adminToken);
    hub = new HubSimulatorAdminClient(embedded.hub.connectionString, readFileSync(embedded.hub.caFile, 'utf8'));
  });

  afterAll(async () => {
    hub?.close();
    await embedded?.stop();
  });

  it('re-drives what was in flight from the twins: every device completed, none unknown, none patched twice', async () => {
    const fleet = await createFleet(api, hub, { label: 'restart-setting', count: DEVICES });
    const jobId = 'restart-setting-job';
    const operation = { type: 'setting', name: 'fanSpeed', value: 3 };
    expect((await api.put(`/api/jobs/${jobId}`, { displayName: 'Fan', deviceSet: fleet.deviceSet, operations: [operation] })).status).toBe(201);
    await eventually(() => api.get(`/api/jobs/${jobId}`), (r) => r.body?.counts?.completed >= 300, 120_000, 'the job under way');
    // The crash must cut work short: devices in flight right before the kill.
    expect(await devicesInFlight(embedded.baseUrl)).toBeGreaterThan(0);
    await embedded.stop('SIGKILL');
    hub.close();
    await embedded.restart();
    hub = new HubSimulatorAdminClient(readFileSync(join(embedded.dataDir, 'hub/connection-string'), 'utf8').trim(), readFileSync(embedded.hub.caFile, 'utf8'));
    const job = await waitForJobEnd(api, jobId, 180_000);
    expect(job).toMatchObject({ status: 'completed', counts: { total: DEVICES, completed: DEVICES, failed: 0, pending: 0 } });
    const fleetIds = new Set(fleet.deviceIds);
    const patches = (await allHubOperations(hub, { kind: 'twin-patch' })).filter(
      (entry) => fleetIds.has(entry.deviceId) && 'fanSpeed' in ((entry.payload as { properties?: { desired?: object } })?.properties?.desired ?? {}),
    );
    const perDevice = new Map<string, number>();
    for (const patch of patches) perDevice.set(patch.deviceId, (perDevice.get(patch.deviceId) ?? 0) + 1);
    expect([...perDevice].filter(([, count]) => count > 1)).toEqual([]);
    expect(perDevice.size).toBe(DEVICES);
    process.stdout.write(`embedded kill -9 mid setting job: ${job.counts.completed} completed, 0 unknown, ${patches.length} desired patches for ${DEVICES} devices\n`);
  });
});

async function devicesInFlight(baseUrl: string): Promise<number> {
  const metrics = await (await fetch(`${baseUrl}/metrics`)).text();
  const line = metrics.split('\n').find((candidate) => candidate.startsWith('fleetjobs_device_operations_in_flight '));
  return Number(line?.split(' ')[1] ?? 0);
}
