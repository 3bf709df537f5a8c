import { LoggedOperation } from '@fleetjobs/hub-simulator';
import { eventually, uniqueId } from '../support/fleetjobs.client';
import { createFleet } from '../support/fleet.fixture';
import { allHubOperations } from '../support/hub-operations';
import { systemUnderTest } from '../support/system-under-test';

const { api, hub } = systemUnderTest();

afterAll(() => hub.close());

/** The hub's limit during these scenarios: far below what the dispatchers would send, so 429s rain. */
const HUB_REQUESTS_PER_SECOND = 20;

const OPERATIONS = {
  property: { type: 'property', name: 'location', value: 'Aisle 7' },
  setting: { type: 'setting', name: 'fanSpeed', value: 4 },
  command: { type: 'command', name: 'reboot', value: { delay: 0 } },
} as const;

/** Requests of the job that change a device: property tag patches, desired-property patches, direct methods. */
function changesBy(operations: LoggedOperation[], deviceIds: Set<string>, operation: { type: string; name: string }): LoggedOperation[] {
  return operations.filter((entry) => {
    if (!deviceIds.has(entry.deviceId)) return false;
    if (operation.type === 'command') return entry.kind === 'method' && entry.name === operation.name;
    if (entry.kind !== 'twin-patch') return false;
    const payload = entry.payload as { tags?: { properties?: object }; properties?: { desired?: object } } | null;
    const patched = operation.type === 'property' ? payload?.tags?.properties : payload?.properties?.desired;
    return patched !== undefined && operation.name in (patched ?? {});
  });
}

/**
 * A moment on the hub's own arrival clock that every request sent before now has passed: on a
 * busy machine the hub may read a request a while after it was sent, and requests read in one
 * turn of its event loop may be stamped in any order. A second mark, asked once the first was
 * answered, is read in a later turn than anything sent before the first.
 */
async function hubClockAfter(): Promise<number> {
  await hub.arrivalMark();
  return Date.parse(await hub.arrivalMark());
}

describe.each(Object.entries(OPERATIONS))('stopping a %s job while the hub throttles', (_type, operation) => {
  beforeAll(() => hub.setMaxRequestsPerSecond(HUB_REQUESTS_PER_SECOND));
  afterAll(() => hub.setMaxRequestsPerSecond(null));

  it('lets no change of the job reach the hub after the answer, and none twice', async () => {
    const fleet = await createFleet(api, hub, {
      label: `stop-${operation.type}`,
      count: 1500,
      simulator: () => (operation.type === 'property' ? undefined : { latencyMs: 200 }),
    });
    const deviceIds = new Set(fleet.deviceIds);
    const jobId = uniqueId(`stop-${operation.type}`);
    const throttledAtStart = (await hub.stats()).throttled;
    const created = await api.put(`/api/jobs/${jobId}`, { displayName: 'Stopped under throttling', deviceSet: fleet.deviceSet, operations: [operation] });
    expect(created.status).toBe(201);
    // The stop must meet work in flight and a hub refusing requests.
    await eventually(
      async () => ({ job: (await api.get(`/api/jobs/${jobId}`)).body, throttled: (await hub.stats()).throttled }),
      ({ job, throttled }) => job?.counts?.completed >= 40 && throttled > throttledAtStart,
      120_000,
      'some devices done and the hub throttling',
    );

    const stopped = await api.post(`/api/jobs/${jobId}/stop`);
    const answeredAt = await hubClockAfter();
    expect(stopped.status).toBe(200);
    expect(stopped.body.status).toBe('stopped');

    // Every device the hub saw a change for ends recorded, none stays pending.
    const settled = await eventually(
      async () => {
        const changes = changesBy(await allHubOperations(hub, { kind: operation.type === 'command' ? 'method' : 'twin-patch' }), deviceIds, operation);
        const pending = new Set((await api.all(`/api/jobs/${jobId}/devices?status=pending`)).map((row) => row.deviceId as string));
        return { job: (await api.get(`/api/jobs/${jobId}`)).body, changes, pending };
      },
      // The list and the job's count are read one after the other: a device in flight may conclude
      // between the two, so they are taken together only once they agree.
      ({ job, changes, pending }) => job.status === 'stopped' && changes.every((change) => !pending.has(change.deviceId)) && job.counts.pending === pending.size,
      120_000,
      'the devices reached before the stop to be recorded, the job\'s count agreeing with its list',
    );
    const late = settled.changes.filter((change) => Date.parse(change.receivedAt) > answeredAt);
    expect(late).toEqual([]);
    const perDevice = new Map<string, number>();
    for (const change of settled.changes) perDevice.set(change.deviceId, (perDevice.get(change.deviceId) ?? 0) + 1);
    expect([...perDevice].filter(([, count]) => count > 1)).toEqual([]);
    expect(settled.pending.size).toBeGreaterThan(0);
    expect(settled.job.counts.pending).toBe(settled.pending.size);
    process.stdout.write(`stop ${operation.type}: ${perDevice.size} devices reached, ${settled.pending.size} never started, 0 changes after the answer\n`);
  });
});
