import { startThrowawayHubSimulator, ThrowawayHubSimulator } from '@fleetjobs/hub-simulator';
import { AzureIotHubDeviceGateway } from './azure-iothub-device-gateway.adapter';

describe('AzureIotHubDeviceGateway: commands through the azure-iothub SDK against the hub simulator', () => {
  let hub: ThrowawayHubSimulator;
  let gateway: AzureIotHubDeviceGateway;
  const options = { responseTimeoutMs: 30_000 };

  beforeAll(async () => {
    hub = await startThrowawayHubSimulator();
    gateway = new AzureIotHubDeviceGateway({ connectionString: hub.simulator.connectionString, caCertPem: hub.simulator.caCertPem });
    await hub.admin.seedDevices([
      { deviceId: 'cmd-ok' },
      { deviceId: 'cmd-fails-reboot', tags: { simulator: { failCommands: ['reboot'] } } },
      { deviceId: 'cmd-fails-all', tags: { simulator: { failCommands: '*' } } },
      { deviceId: 'cmd-offline', tags: { simulator: { online: false } } },
      { deviceId: 'cmd-slow', tags: { simulator: { latencyMs: 400 } } },
      { deviceId: 'cmd-stuck', tags: { simulator: { latencyMs: 60_000 } } },
    ]);
  });

  afterAll(async () => {
    await gateway?.close();
    await hub?.dispose();
  });

  it('succeeds when the device answers 2xx, reaching the hub once with the payload', async () => {
    expect(await gateway.invokeCommand('cmd-ok', 'reboot', { delay: 1 }, options)).toEqual({ ok: true });
    expect(await hub.admin.operations({ deviceId: 'cmd-ok', kind: 'method' })).toEqual([
      expect.objectContaining({ name: 'reboot', payload: { delay: 1 } }),
    ]);
  });

  it('fails the commands the device fails, with the device status and error', async () => {
    expect(await gateway.invokeCommand('cmd-fails-reboot', 'reboot', null, options)).toEqual({
      ok: false,
      error: 'command reboot failed on the device (status 500): reboot failed on the device',
    });
    expect(await gateway.invokeCommand('cmd-fails-reboot', 'ping', null, options)).toEqual({ ok: true });
    expect(await gateway.invokeCommand('cmd-fails-all', 'ping', null, options)).toEqual({
      ok: false,
      error: 'command ping failed on the device (status 500): ping failed on the device',
    });
    expect(await hub.admin.operations({ deviceId: 'cmd-fails-reboot', name: 'reboot' })).toHaveLength(1);
  });

  it('fails at once for an offline device', async () => {
    const started = Date.now();
    expect(await gateway.invokeCommand('cmd-offline', 'reboot', null, options)).toEqual({
      ok: false,
      error: 'device is offline (not connected); the command was not delivered',
    });
    expect(Date.now() - started).toBeLessThan(2000);
    expect(await hub.admin.operations({ deviceId: 'cmd-offline', kind: 'method' })).toHaveLength(1);
  });

  it('waits for a slow device', async () => {
    const started = Date.now();
    expect(await gateway.invokeCommand('cmd-slow', 'reboot', null, options)).toEqual({ ok: true });
    expect(Date.now() - started).toBeGreaterThanOrEqual(400);
  });

  it('fails with a timeout when the device does not answer in time (IoT Hub minimum of 5 s)', async () => {
    const started = Date.now();
    expect(await gateway.invokeCommand('cmd-stuck', 'reboot', null, { responseTimeoutMs: 1000 })).toEqual({
      ok: false,
      error: 'command reboot timed out: the device did not answer within 5 s',
    });
    expect(Date.now() - started).toBeGreaterThanOrEqual(5000);
    expect(await hub.admin.operations({ deviceId: 'cmd-stuck', kind: 'method' })).toHaveLength(1);
  });

  it('fails for a device the hub does not know', async () => {
    expect(await gateway.invokeCommand('ghost', 'reboot', null, options)).toEqual({
      ok: false,
      error: 'device ghost is not registered in the hub',
    });
  });
});
