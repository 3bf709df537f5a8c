import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HubSimulatorAdminClient } from '@fleetjobs/hub-simulator';
import { EmbeddedProcess, startEmbeddedProcess } from '@fleetjobs/runtime';
import { eventually, FleetjobsClient } from '../support/fleetjobs.client';
import { createFleet, waitForJobEnd } from '../support/fleet.fixture';
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
    api = new FleetjobsClient(embedded.baseUrl);
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
