import type { Subscription } from '../event-log.port';

/** What is known of one subscription when liveness is asked. */
export interface SubscriptionObservation {
  running: boolean;
  /** It ended on its own (a crash it will not recover from), not through `stop()`. */
  failed: boolean;
  /** Since when it has not been running, if it had run before; null while running or still joining. */
  downSinceMs: number | null;
}

/** Default time a subscription that ran may stay down (a rebalance, a consumer restart) before it counts as dead. */
export const DEFAULT_CONSUMER_DOWN_GRACE_MS = 60_000;

/**
 * A subscription is dead when it failed for good, or when it had been running and has not been
 * for longer than `graceMs`. One still joining for the first time is not dead, nor is one
 * rejoining after a rebalance.
 */
export function isSubscriptionDead(observation: SubscriptionObservation, nowMs: number, graceMs: number): boolean {
  if (observation.failed) return true;
  if (observation.running || observation.downSinceMs === null) return false;
  return nowMs - observation.downSinceMs > graceMs;
}

/**
 * Watches the subscriptions of a process for the liveness probe: a process whose consumer died
 * answers "not live", so that its supervisor restarts it instead of leaving a partition unread.
 */
export class ConsumerLiveness {
  private readonly everRan = new WeakSet<Subscription>();
  private readonly downSince = new WeakMap<Subscription, number>();

  constructor(
    private readonly subscriptions: () => readonly Subscription[],
    private readonly graceMs = DEFAULT_CONSUMER_DOWN_GRACE_MS,
    private readonly now: () => number = Date.now,
  ) {}

  /** The groups whose subscription is dead; empty when every consumer is alive. */
  deadGroups(): string[] {
    const now = this.now();
    const dead: string[] = [];
    for (const subscription of this.subscriptions()) {
      const running = subscription.isRunning();
      if (running) {
        this.everRan.add(subscription);
        this.downSince.delete(subscription);
      } else if (this.everRan.has(subscription) && !this.downSince.has(subscription)) {
        this.downSince.set(subscription, now);
      }
      const observation = { running, failed: subscription.hasFailed(), downSinceMs: this.downSince.get(subscription) ?? null };
      if (isSubscriptionDead(observation, now, this.graceMs)) dead.push(subscription.groupId);
    }
    return dead;
  }

  /** For `LivenessRegistry`: true while no consumer is dead. */
  check = async (): Promise<boolean> => this.deadGroups().length === 0;
}
