import { Registry } from 'azure-iothub';
import { startThrowawayHubSimulator, ThrowawayHubSimulator } from '@fleetjobs/hub-simulator';
import { classifyHubError } from './hub-error.classifier';
import { createHubAgent, hostNameHasPort, installHubAgent } from './hub.agent';
import { TwinJsonClient } from './twin-json.client';

describe('TwinJsonClient: twin reads and patches through the SDK REST client against the hub simulator', () => {
  let hub: ThrowawayHubSimulator;
  let twins: TwinJsonClient;
  let closeAgent: () => void;

  beforeAll(async () => {
    hub = await startThrowawayHubSimulator();
    const { connectionString, caCertPem } = hub.simulator;
    const registry = Registry.fromConnectionString(connectionString);
    const agent = createHubAgent(hostNameHasPort(connectionString), { caCertPem });
    installHubAgent(registry, agent, caCertPem);
    closeAgent = () => agent.destroy();
    twins = new TwinJsonClient(registry);
  });

  afterAll(async () => {
    closeAgent?.();
    await hub?.dispose();
  });

  it('answers the twin as JSON and patches it under its etag, answering the patched twin', async () => {
    await hub.admin.seedDevices([{ deviceId: 'json-1', tags: { city: 'Oslo' } }]);
    const { responseBody: before } = await twins.getTwin('json-1');
    expect(before.tags).toMatchObject({ city: 'Oslo' });
    const { responseBody: after } = await twins.updateTwin('json-1', { properties: { desired: { fanSpeed: 3 } } }, before.etag!);
    expect(after.properties?.desired).toMatchObject({ fanSpeed: 3 });
    expect(after.etag).not.toBe(before.etag);
  });

  it('a patch under an etag the twin no longer has is refused as a failed precondition, and changes nothing', async () => {
    await hub.admin.seedDevices([{ deviceId: 'json-2' }]);
    const { responseBody: first } = await twins.getTwin('json-2');
    await twins.updateTwin('json-2', { tags: { step: 1 } }, first.etag!);
    const refused = await twins.updateTwin('json-2', { tags: { step: 2 } }, first.etag!).catch((error: unknown) => error);
    expect(classifyHubError(refused).kind).toBe('precondition-failed');
    expect((await twins.getTwin('json-2')).responseBody.tags).toMatchObject({ step: 1 });
  });

  it('a device the hub does not know is classified as not found, for reads and patches', async () => {
    const read = await twins.getTwin('json-missing').catch((error: unknown) => error);
    const patch = await twins.updateTwin('json-missing', { tags: { step: 1 } }, '*').catch((error: unknown) => error);
    expect(classifyHubError(read).kind).toBe('device-not-found');
    expect(classifyHubError(patch).kind).toBe('device-not-found');
  });
});
