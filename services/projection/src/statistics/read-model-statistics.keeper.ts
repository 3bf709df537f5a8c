import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { StatisticsKeeper } from '@fleetjobs/persistence-pg';
import { DATA_SOURCE } from '@fleetjobs/runtime';
import { DataSource } from 'typeorm';
import { PROJECTION_SCHEMA as S } from '../projection.tokens';

/** The read models that grow with every job's devices. */
export const GROWING_READ_MODELS = [`${S}.job_devices`, `${S}.jobs`];

/**
 * Keeps the planner's picture of the read models in step with their size, so that a page of a
 * large job's devices filtered by status is an index range scan, not a read and sort of all the
 * job's matching rows (seconds per page at a million devices), where no autovacuum analyses them.
 */
@Injectable()
export class ReadModelStatisticsKeeper implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly keeper: StatisticsKeeper;

  constructor(@Inject(DATA_SOURCE) dataSource: DataSource) {
    this.keeper = new StatisticsKeeper({ executor: dataSource, tables: GROWING_READ_MODELS, logger: new Logger(ReadModelStatisticsKeeper.name) });
  }

  onApplicationBootstrap(): void {
    this.keeper.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.keeper.stop();
  }

  /** Checks the read models now; answers those analysed. */
  checkNow(): Promise<string[]> {
    return this.keeper.checkNow();
  }
}
