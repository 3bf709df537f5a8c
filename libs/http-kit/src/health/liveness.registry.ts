import { Injectable } from '@nestjs/common';
import type { ReadinessCheck } from './readiness.registry';

/**
 * What must hold for the process to be worth keeping: a failing check (a consumer or the outbox
 * relay died) makes `/health/live` answer 503, so the supervisor restarts the process. Unlike
 * readiness, a dependency being down (database, broker) is no reason to fail liveness.
 */
@Injectable()
export class LivenessRegistry {
  private readonly checks: ReadinessCheck[] = [];

  add(check: ReadinessCheck): void {
    this.checks.push(check);
  }

  async evaluate(): Promise<{ ok: boolean; checks: { name: string; ok: boolean }[] }> {
    const checks = await Promise.all(
      this.checks.map(async (item) => ({ name: item.name, ok: await item.check().catch(() => false) })),
    );
    return { ok: checks.every((item) => item.ok), checks };
  }
}
