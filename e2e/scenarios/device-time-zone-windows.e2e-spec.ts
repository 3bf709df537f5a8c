import { LoggedOperation } from '@fleetjobs/hub-simulator';
import { eventually, uniqueId } from '../support/fleetjobs.client';
import { createFleet } from '../support/fleet.fixture';
import { allHubOperations } from '../support/hub-operations';
import { systemUnderTest } from '../support/system-under-test';

const { api, hub } = systemUnderTest();

afterAll(() => hub.close());

/** Desired-property patches of `fanSpeed` = `value` that reached the hub for these devices. */
async function fanSpeedPatches(deviceIds: string[], value: number): Promise<LoggedOperation[]> {
  const fleet = new Set(deviceIds);
  return (await allHubOperations(hub, { kind: 'twin-patch' })).filter((entry) => {
    const desired = (entry.payload as { properties?: { desired?: { fanSpeed?: unknown } } } | null)?.properties?.desired;
    return fleet.has(entry.deviceId) && desired?.fanSpeed === value;
  });
}

/** `HH:MM` in `timeZone`, `hours` from now. */
function localTime(timeZone: string, hours: number): string {
  const instant = new Date(Date.now() + hours * 3_600_000);
  return new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(instant);
}

describe("maintenance windows in each device's own zone", () => {
  it('starts the devices whose own zone is inside the window; those in zones outside it stay pending', async () => {
    // Tokyo (UTC+9) and Phoenix (UTC−7) keep their offsets all year. A window every day from three
    // hours before Tokyo's local time now to three hours after is open in Tokyo for hours whatever
    // the hour the test runs, and closed in Phoenix (16 h behind) and in UTC (9 h behind).
    const zones: (string | undefined)[] = ['Asia/Tokyo', 'America/Phoenix', 'Asia/Tokyo', undefined, 'Asia/Tokyo', 'Mars/Olympus', 'America/Phoenix'];
    const fleet = await createFleet(api, hub, {
      label: 'device-zones',
      count: zones.length,
      tags: (index) => (zones[index] ? { timezone: zones[index] } : {}),
    });
    const inside = fleet.deviceIds.filter((_, index) => zones[index] === 'Asia/Tokyo');
    const outside = fleet.deviceIds.filter((_, index) => zones[index] !== 'Asia/Tokyo');
    const window = { start: localTime('Asia/Tokyo', -3), end: localTime('Asia/Tokyo', 3), timeZone: 'device' };

    const jobId = uniqueId('device-zones');
    const created = await api.put(`/api/jobs/${jobId}`, {
      displayName: 'Fan speed at local night',
      deviceSet: fleet.deviceSet,
      operations: [{ type: 'setting', name: 'fanSpeed', value: 6 }],
      schedule: { windows: [window] },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ schedule: { windows: [window] }, nextStartAt: null });

    // The devices in Tokyo complete; the job keeps running with the others pending.
    const running = await eventually(
      () => api.get(`/api/jobs/${jobId}`),
      (r) => r.status === 200 && r.body.counts.completed + r.body.counts.failed >= inside.length,
      120_000,
      'the devices inside their window to complete',
    );
    expect(running.body).toMatchObject({ status: 'running', counts: { total: zones.length, completed: inside.length, failed: 0 } });
    const pendingDevices = async () => (await api.all(`/api/jobs/${jobId}/devices?status=pending`)).map((row) => row.deviceId as string).sort();
    await eventually(pendingDevices, (pending) => JSON.stringify(pending) === JSON.stringify([...outside].sort()), 60_000, 'the devices outside their window listed pending');
    expect((await api.get(`/api/jobs/${jobId}`)).body).toMatchObject({ status: 'running', counts: { completed: inside.length, pending: outside.length } });

    // Stopped, the job never reaches the devices outside their window.
    expect((await api.post(`/api/jobs/${jobId}/stop`)).status).toBe(200);
    const settled = await eventually(
      () => api.get(`/api/jobs/${jobId}`),
      (r) => r.status === 200 && r.body.settledAt !== null,
      120_000,
      'the stopped job to settle',
    );
    expect(settled.body).toMatchObject({ status: 'stopped', counts: { completed: inside.length } });
    expect(new Set((await fanSpeedPatches(inside, 6)).map((patch) => patch.deviceId))).toEqual(new Set(inside));
    expect(await fanSpeedPatches(outside, 6)).toEqual([]);
  });
});
