import { Logger, Provider } from '@nestjs/common';
import { StatisticsKeeper } from '@fleetjobs/persistence-pg';
import { DATA_SOURCE } from '@fleetjobs/runtime';
import { DataSource } from 'typeorm';
import { DISPATCHER_SCHEMA as S } from '../dispatcher.schema';

/** Often enough that a job's first hundred thousand devices do not run long on a plan made for none. */
const CHECK_EVERY_MS = 10_000;

/**
 * The work tables keep their planner statistics in step with a job's size where no autovacuum
 * analyses them. Without them, a send mark or a batch of outcomes looked each device up through
 * a whole in-flight index, dead entries of every device ever run
 * included (a bitmap scan never marks them dead): work per device that grew with the job, and at
 * 1,000,000 devices 445 device operations a second where the same run did 1,160 once analysed.
 */
export const workStatistics: Provider = {
  provide: StatisticsKeeper,
  inject: [DATA_SOURCE],
  useFactory: (dataSource: DataSource) =>
    new StatisticsKeeper({
      executor: dataSource,
      tables: [`${S}.operations`, `${S}.previous_values`],
      intervalMs: CHECK_EVERY_MS,
      logger: new Logger('WorkStatistics'),
    }),
};
