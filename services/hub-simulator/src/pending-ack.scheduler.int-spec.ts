import { waitFor } from '@fleetjobs/testing';
import { PendingAckScheduler } from './pending-ack.scheduler';
import { SimulatorTimers } from './simulator-timers';
import { TwinStore } from './store/twin.store';
import { startThrowawayHubSimulator, ThrowawayHubSimulator } from './testing/throwaway-hub-simulator';
import { TwinView } from './twin-document';

/** Timers whose first one fires at once, long before it is due (Node's fire up to 1 ms early). */
class FirstFiresEarlyTimers extends SimulatorTimers {
  private fired = false;

  override after(ms: number, task: () => void): void {
    super.after(this.fired ? ms : 0, task);
    this.fired = true;
  }
}

describe('PendingAckScheduler on PostgreSQL', () => {
  let hub: ThrowawayHubSimulator;
  let twins: TwinStore;
  const stops: (() => Promise<void>)[] = [];

  beforeAll(async () => {
    hub = await startThrowawayHubSimulator();
    twins = new TwinStore(hub.dataSource);
  });

  afterEach(async () => {
    await Promise.all(stops.splice(0).map((stop) => stop()));
  });

  afterAll(async () => {
    await hub?.dispose();
  });

  function startScheduler(timers: SimulatorTimers): PendingAckScheduler {
    const scheduler = new PendingAckScheduler(twins, timers);
    stops.push(async () => {
      timers.stop();
      await scheduler.drain();
    });
    return scheduler;
  }

  async function patchSetting(deviceId: string, name: string, value: unknown): Promise<{ twin: TwinView; ackDueAt: Date }> {
    const result = await twins.patch(deviceId, { desired: { [name]: value } }, '*', null);
    if (result.outcome !== 'patched' || !result.ackDueAt) throw new Error(`expected a pending acknowledgement, got ${result.outcome}`);
    return { twin: result.twin, ackDueAt: result.ackDueAt };
  }

  async function acknowledgedVersion(deviceId: string, name: string): Promise<unknown> {
    const entry = (await twins.get(deviceId))?.state.reported[name] as { av?: unknown } | undefined;
    return entry?.av;
  }

  it('leaves an acknowledgement that is not due yet in place and tells when it falls due', async () => {
    await hub.admin.seedDevices([{ deviceId: 'ack-not-due', tags: { simulator: { latencyMs: 60_000 } } }]);
    const { twin, ackDueAt } = await patchSetting('ack-not-due', 'mode', 'eco');

    expect(await twins.acknowledgeDue('ack-not-due', ackDueAt.getTime() - 1)).toEqual(ackDueAt);
    expect(await acknowledgedVersion('ack-not-due', 'mode')).toBeUndefined();

    expect(await twins.acknowledgeDue('ack-not-due', ackDueAt.getTime())).toBeNull();
    expect((await twins.get('ack-not-due'))?.state.reported['mode']).toEqual({
      value: 'eco',
      ac: 200,
      av: twin.state.desiredVersion,
      ad: 'completed',
    });
  });

  it('delivers an acknowledgement whose timer fired before it was due', async () => {
    await hub.admin.seedDevices([{ deviceId: 'ack-early-timer', tags: { simulator: { latencyMs: 1500 } } }]);
    const scheduler = startScheduler(new FirstFiresEarlyTimers());
    const { twin, ackDueAt } = await patchSetting('ack-early-timer', 'mode', 'eco');
    scheduler.schedule('ack-early-timer', ackDueAt);

    await waitFor('the acknowledgement of the patched version', async () =>
      (await acknowledgedVersion('ack-early-timer', 'mode')) === twin.state.desiredVersion,
    );
    expect(Date.now()).toBeGreaterThanOrEqual(ackDueAt.getTime());
  });

  it('after a restart delivers every pending acknowledgement, also those due later than the first', async () => {
    await hub.admin.seedDevices([{ deviceId: 'ack-recover', tags: { simulator: { latencyMs: 200 } } }]);
    await patchSetting('ack-recover', 'mode', 'eco');
    await twins.patch('ack-recover', { tags: { simulator: { latencyMs: 900 } } }, '*', null);
    const { twin } = await patchSetting('ack-recover', 'fanSpeed', 3);

    await startScheduler(new SimulatorTimers()).recover();

    await waitFor('both settings acknowledged at the latest desired version', async () => {
      const versions = [await acknowledgedVersion('ack-recover', 'mode'), await acknowledgedVersion('ack-recover', 'fanSpeed')];
      return versions.every((version) => version === twin.state.desiredVersion);
    });
  });
});
