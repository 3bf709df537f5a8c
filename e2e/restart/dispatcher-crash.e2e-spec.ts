import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HubSimulatorAdminClient } from '@fleetjobs/hub-simulator';
import { DistributedTopology, startDistributedTopology } from '@fleetjobs/runtime';
import { ensureKafkaBrokers, testPostgresServerUrl } from '@fleetjobs/testing';
import { eventually, FleetjobsClient, uniqueId } from '../support/fleetjobs.client';
import { createFleet, waitForJobEnd } from '../support/fleet.fixture';
import { expectEachDeviceOnceAndOnlyOnce } from './restart-invariants';

describe('a dispatcher killed (kill -9) mid-job on the distributed topology', () => {
  let topology: DistributedTopology;
  let api: FleetjobsClient;
  let hub: HubSimulatorAdminClient;

  beforeAll(async () => {
    topology = await startDistributedTopology({
      kafkaBrokers: await ensureKafkaBrokers(),
      postgresUrl: testPostgresServerUrl(),
      databasePrefix: 'fleetjobs_crash',
      fresh: true,
      kafkaNamespace: 'crash',
      apiPort: 3970,
      servicePortBase: 3970,
      dispatchers: 2,
      env: { LOG_LEVEL: 'warn', DISPATCH_ORPHAN_AFTER_MS: '3000', DISPATCH_CONCURRENCY: '16' },
      workDir: mkdtempSync(join(tmpdir(), 'fleetjobs-crash-')),
    });
    api = new FleetjobsClient(topology.baseUrl, topology.adminToken);
    hub = new HubSimulatorAdminClient(topology.hub.connectionString, readFileSync(topology.hub.caFile, 'utf8'));
  });

  afterAll(async () => {
    hub?.close();
    await topology?.stop();
  });

  it('loses nothing and runs nothing twice: the survivor carries on, orphans are concluded once', async () => {
    const fleet = await createFleet(api, hub, { label: 'crash', count: 300, simulator: () => ({ latencyMs: 150 }) });
    const jobId = uniqueId('crash-job');
    await api.put(`/api/jobs/${jobId}`, { displayName: 'Reboot', deviceSet: fleet.deviceSet, operations: [{ type: 'command', name: 'reboot', value: {} }] });
    await eventually(() => api.get(`/api/jobs/${jobId}`), (r) => r.body?.counts?.completed >= 30, 60_000, 'the job under way');
    await topology.process('dispatcher-1').stop('SIGKILL');
    const job = await waitForJobEnd(api, jobId, 120_000);
    expect(job.counts.total).toBe(300);
    const outcome = await expectEachDeviceOnceAndOnlyOnce(api, hub, jobId, fleet.deviceIds);
    process.stdout.write(`dispatcher kill -9: ${outcome.completed} completed, ${outcome.unknown} concluded as unknown\n`);
    await topology.restart('dispatcher-1');
  });

  it('the topology keeps working after the killed dispatcher is started again', async () => {
    const fleet = await createFleet(api, hub, { label: 'after', count: 20 });
    const afterCrash = uniqueId('after-crash');
    await api.put(`/api/jobs/${afterCrash}`, { displayName: 'After', deviceSet: fleet.deviceSet, operations: [{ type: 'command', name: 'reboot', value: {} }] });
    const job = await waitForJobEnd(api, afterCrash);
    expect(job).toMatchObject({ status: 'completed', counts: { completed: 20 } });
  });
});
