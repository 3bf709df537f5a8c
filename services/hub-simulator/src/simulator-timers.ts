/** Timers the simulator owns, so that stopping it leaves nothing running. */
export class SimulatorTimers {
  private readonly pending = new Map<NodeJS.Timeout, () => void>();
  private stopped = false;

  /** Resolves `true` after `ms`, or `false` at once when the simulator stops first. */
  wait(ms: number): Promise<boolean> {
    if (this.stopped) return Promise.resolve(false);
    if (ms <= 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.pending.delete(timer);
        resolve(true);
      }, ms);
      this.pending.set(timer, () => resolve(false));
    });
  }

  /** Runs `task` after `ms` unless the simulator stops first. */
  after(ms: number, task: () => void): void {
    void this.wait(ms).then((elapsed) => {
      if (elapsed) task();
    });
  }

  get isStopped(): boolean {
    return this.stopped;
  }

  stop(): void {
    this.stopped = true;
    for (const [timer, cancel] of this.pending) {
      clearTimeout(timer);
      cancel();
    }
    this.pending.clear();
  }
}
