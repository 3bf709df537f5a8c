import { DeviceSetTestApp, startDeviceSetTestApp } from '../testing/device-set-test-app';

describe('GET /internal/device-sets/{id}/member-ids', () => {
  let t: DeviceSetTestApp;
  const seattle = Array.from({ length: 23 }, (_, i) => `vm-${String(i).padStart(3, '0')}`);

  /** Every id the endpoint lists, page by page, and how many pages it took. */
  async function all(set: string, limit: number): Promise<{ ids: string[]; pages: number }> {
    const ids: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const answer: { status: number; body: { value: string[]; nextCursor: string | null } } = await t.http('GET', `/internal/device-sets/${set}/member-ids?limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`);
      expect(answer.status).toBe(200);
      ids.push(...answer.body.value);
      cursor = answer.body.nextCursor;
      pages++;
    } while (cursor !== null && pages <= 100);
    return { ids, pages };
  }

  beforeAll(async () => {
    t = await startDeviceSetTestApp();
    await t.http('PUT', '/api/device-templates/vending-machine', { displayName: 'VM', capabilities: [] });
    const devices = Array.from({ length: 25 }, (_, i) => ({
      id: `vm-${String(i).padStart(3, '0')}`,
      displayName: `VM ${i}`,
      template: 'vending-machine',
      tags: { city: i < 23 ? 'Seattle' : 'Tacoma' },
    }));
    expect((await t.http('POST', '/api/devices/batch', { devices: [...devices].reverse() })).status).toBe(200);
    await t.http('PUT', '/api/device-sets/seattle-vms', {
      displayName: 'Seattle',
      conditions: [
        { field: 'template', operator: 'eq', value: 'vending-machine' },
        { field: 'tags.city', operator: 'eq', value: 'Seattle' },
      ],
    });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('lists exactly the current members, each once, in id order, across pages', async () => {
    expect(await all('seattle-vms', 10)).toEqual({ ids: seattle, pages: 3 });
    expect((await all('seattle-vms', 1000)).ids).toEqual(seattle);
  });

  it('answers 404 for an unknown set, 409 for a broken one, 400 for a bad limit or cursor', async () => {
    await t.http('PUT', '/api/device-templates/short-lived', { displayName: 'x', capabilities: [] });
    await t.http('PUT', '/api/device-sets/short', { displayName: 'Short', conditions: [{ field: 'template', operator: 'eq', value: 'short-lived' }] });
    await t.http('DELETE', '/api/device-templates/short-lived');
    expect((await t.http('GET', '/internal/device-sets/short/member-ids')).status).toBe(409);
    expect((await t.http('GET', '/internal/device-sets/nope/member-ids')).status).toBe(404);
    expect((await t.http('GET', '/internal/device-sets/seattle-vms/member-ids?limit=1001')).status).toBe(400);
    expect((await t.http('GET', '/internal/device-sets/seattle-vms/member-ids?cursor=xyz')).status).toBe(400);
  });
});
