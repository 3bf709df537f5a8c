// Runs the hub simulator on an in-memory PGlite and drives it through the azure-iothub adapter;
// prints what it observed as one JSON line. PGlite needs `--experimental-vm-modules`, which a Jest
// worker lacks, hence a child process.
import { AzureIotHubDeviceGateway } from '@fleetjobs/device-gateway';
import { createPgliteDataSource } from '@fleetjobs/persistence-pg';
import { HubSimulatorAdminClient } from '../../hub-simulator-admin.client';
import { startHubSimulator } from '../../hub-simulator.server';

async function main(): Promise<void> {
  const database = await createPgliteDataSource();
  const simulator = await startHubSimulator({ dataSource: database.dataSource });
  const gateway = new AzureIotHubDeviceGateway({ connectionString: simulator.connectionString, caCertPem: simulator.caCertPem, ackPollIntervalMs: 50 });
  const admin = new HubSimulatorAdminClient(simulator.connectionString, simulator.caCertPem);
  try {
    await gateway.upsertDevices(
      Array.from({ length: 40 }, (_, i) => ({
        deviceId: `pg-${String(i).padStart(2, '0')}`,
        template: 'kiosk',
        displayName: null,
        tags: i === 0 ? { simulator: { latencyMs: 300 } } : { city: 'Oslo' },
      })),
    );
    const pageSizes: number[] = [];
    for await (const page of gateway.listDevices(15)) pageSizes.push(page.length);
    const outcomes = await Promise.all([
      gateway.applySetting('pg-00', 'fanSpeed', 2, { ackTimeoutMs: 10_000 }),
      gateway.applySetting('pg-01', 'fanSpeed', 2, { ackTimeoutMs: 10_000 }),
      gateway.applyProperty('pg-02', 'location', 'hall'),
      gateway.invokeCommand('pg-03', 'reboot', null, { responseTimeoutMs: 10_000 }),
    ]);
    await gateway.deleteDevices(['pg-39', 'missing']);
    const result = {
      pageSizes,
      outcomes,
      devices: (await admin.stats()).devices,
      slowDevicePatches: (await admin.operations({ deviceId: 'pg-00', kind: 'twin-patch' })).length,
    };
    process.stdout.write(`${JSON.stringify(result)}\n`);
  } finally {
    admin.close();
    await gateway.close();
    await simulator.stop();
    await database.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
