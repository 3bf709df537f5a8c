import { Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { SqlExecutor } from '../sql';
import { analyzeWhenGrown } from './table-statistics';

export interface StatisticsKeeperOptions {
  executor: SqlExecutor;
  /** Schema-qualified tables that grow with the fleet or with a job. */
  tables: string[];
  /** How often the tables' sizes are compared with their statistics. Default 30 s. */
  intervalMs?: number;
  logger?: Logger;
}

/**
 * Keeps the planner's statistics of a few growing tables in step with their size, as autovacuum's
 * ANALYZE would where it runs: every `intervalMs`, each table grown by a tenth since its last
 * analysis is analysed (`analyzeWhenGrown`). A job of a million devices otherwise reads as a few
 * pages to the planner, which then answers a filtered page of it by reading and sorting every
 * matching row. A failed check is logged and tried again at the next tick. As a Nest provider it
 * starts with the application and stops with it.
 */
export class StatisticsKeeper implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly intervalMs: number;
  private readonly logger: Logger;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: StatisticsKeeperOptions) {
    this.intervalMs = options.intervalMs ?? 30_000;
    this.logger = options.logger ?? new Logger(StatisticsKeeper.name);
  }

  onApplicationBootstrap(): void {
    this.start();
  }

  onApplicationShutdown(): Promise<void> {
    return this.stop();
  }

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => {
      this.running = this.running.then(() => this.checkNow()).catch((error: unknown) => this.logger.warn(`table statistics check failed: ${String(error)}`));
    }, this.intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }

  /** Checks every table once; answers those analysed. */
  async checkNow(): Promise<string[]> {
    const analysed: string[] = [];
    for (const table of this.options.tables) {
      if (await analyzeWhenGrown(this.options.executor, table)) analysed.push(table);
    }
    return analysed;
  }
}
