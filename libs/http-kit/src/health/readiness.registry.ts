import { Injectable } from '@nestjs/common';

/** One dependency whose state decides whether the process can serve. */
export interface ReadinessCheck {
  name: string;
  check(): Promise<boolean>;
}

/** Services register the checks of their real dependencies (database, consumers, event log). */
@Injectable()
export class ReadinessRegistry {
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
