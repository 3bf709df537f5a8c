import type { Subscription } from '../event-log.port';
import { ConsumerLiveness, isSubscriptionDead } from './consumer-liveness';

describe('isSubscriptionDead', () => {
  const grace = 1_000;

  it('a running subscription is alive', () => {
    expect(isSubscriptionDead({ running: true, failed: false, downSinceMs: null }, 10_000, grace)).toBe(false);
  });

  it('one still joining for the first time is alive', () => {
    expect(isSubscriptionDead({ running: false, failed: false, downSinceMs: null }, 10_000, grace)).toBe(false);
  });

  it('one rejoining within the grace is alive', () => {
    expect(isSubscriptionDead({ running: false, failed: false, downSinceMs: 9_500 }, 10_000, grace)).toBe(false);
  });

  it('one down past the grace after it had run is dead', () => {
    expect(isSubscriptionDead({ running: false, failed: false, downSinceMs: 8_000 }, 10_000, grace)).toBe(true);
  });

  it('one that failed for good is dead at once', () => {
    expect(isSubscriptionDead({ running: false, failed: true, downSinceMs: null }, 10_000, grace)).toBe(true);
  });
});

describe('ConsumerLiveness', () => {
  function fake(groupId: string) {
    const state = { running: false, failed: false };
    const subscription: Subscription = {
      groupId,
      isRunning: () => state.running,
      hasFailed: () => state.failed,
      lag: async () => 0,
      stop: async () => undefined,
    };
    return { state, subscription };
  }

  it('reports a group down past the grace once it had run, and forgets it when it runs again', () => {
    let now = 0;
    const a = fake('a');
    const liveness = new ConsumerLiveness(() => [a.subscription], 1_000, () => now);
    expect(liveness.deadGroups()).toEqual([]);
    a.state.running = true;
    expect(liveness.deadGroups()).toEqual([]);
    a.state.running = false;
    now = 500;
    expect(liveness.deadGroups()).toEqual([]);
    now = 1_600;
    expect(liveness.deadGroups()).toEqual(['a']);
    a.state.running = true;
    expect(liveness.deadGroups()).toEqual([]);
  });
});
