import { startThrowawayHubSimulator, ThrowawayHubSimulator } from '../testing/throwaway-hub-simulator';
import { twinEtag } from '../twin-document';
import { TwinStore } from './twin.store';

interface Twin {
  version: number;
  tags: Record<string, unknown>;
}

describe('TwinStore: twins read from memory, writes committed together', () => {
  let hub: ThrowawayHubSimulator;

  beforeAll(async () => {
    hub = await startThrowawayHubSimulator();
  });

  afterAll(async () => {
    await hub?.dispose();
  });

  const twin = async (deviceId: string): Promise<Twin> => (await hub.admin.request('GET', `/twins/${deviceId}`)).body as Twin;

  it('lands every one of 40 concurrent patches of one device, one version each', async () => {
    await hub.admin.seedDevices([{ deviceId: 'crowded' }]);
    const before = await twin('crowded');
    const answers = await Promise.all(
      Array.from({ length: 40 }, (_, i) => hub.admin.request('PATCH', '/twins/crowded', { tags: { [`k${i}`]: i } }, { 'if-match': '*' })),
    );
    expect(answers.map((answer) => answer.status)).toEqual(Array(40).fill(200));
    const after = await twin('crowded');
    expect(after.version).toBe(before.version + 40);
    expect(Object.keys(after.tags)).toHaveLength(40);
    expect((await hub.admin.operations({ deviceId: 'crowded', kind: 'twin-patch' })).length).toBe(40);
  });

  it('shows a registry overwrite of a twin it has read', async () => {
    await hub.admin.seedDevices([{ deviceId: 'overwritten', tags: { city: 'Oslo' } }]);
    expect((await twin('overwritten')).tags).toEqual({ city: 'Oslo' });
    const bulk = await hub.admin.request('POST', '/devices', [{ id: 'overwritten', importMode: 'updateTwin', tags: { city: 'Lima' } }]);
    expect(bulk.status).toBe(200);
    expect((await twin('overwritten')).tags).toEqual({ city: 'Lima' });
    await hub.admin.seedDevices([{ deviceId: 'overwritten', tags: { city: 'Rome' } }]);
    expect((await twin('overwritten')).tags).toEqual({ city: 'Rome' });
  });

  it('loses no update when another writer changed the row since it was read', async () => {
    await hub.admin.seedDevices([{ deviceId: 'shared-row' }]);
    const other = new TwinStore(hub.dataSource);
    const mine = new TwinStore(hub.dataSource);
    expect(await mine.get('shared-row')).not.toBeNull();
    expect((await other.patch('shared-row', { tags: { theirs: 1 } }, '*', null)).outcome).toBe('patched');
    const result = await mine.patch('shared-row', { tags: { mine: 2 } }, '*', null);
    expect(result.outcome === 'patched' && result.twin.state.tags).toEqual({ theirs: 1, mine: 2 });
    expect((await twin('shared-row')).tags).toEqual({ theirs: 1, mine: 2 });
  });

  it('refuses a patch whose etag is stale because another writer changed the row', async () => {
    await hub.admin.seedDevices([{ deviceId: 'stale-etag' }]);
    const other = new TwinStore(hub.dataSource);
    const mine = new TwinStore(hub.dataSource);
    const read = await mine.get('stale-etag');
    await other.patch('stale-etag', { tags: { theirs: 1 } }, '*', null);
    expect((await mine.patch('stale-etag', { tags: { mine: 2 } }, twinEtag(read!.state.twinVersion), null)).outcome).toBe('etag-mismatch');
  });
});
