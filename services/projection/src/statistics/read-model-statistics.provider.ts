import { Logger, Provider } from '@nestjs/common';
import { StatisticsKeeper } from '@fleetjobs/persistence-pg';
import { DATA_SOURCE } from '@fleetjobs/runtime';
import { DataSource } from 'typeorm';
import { PROJECTION_SCHEMA as S } from '../projection.tokens';

/**
 * The read models that grow with every job's devices keep their planner statistics in step with
 * their size, so that a page of a large job's devices filtered by status is an index range scan,
 * not a read and sort of all the job's matching rows (seconds per page at a million devices),
 * where no autovacuum analyses them.
 */
export const readModelStatistics: Provider = {
  provide: StatisticsKeeper,
  inject: [DATA_SOURCE],
  useFactory: (dataSource: DataSource) =>
    new StatisticsKeeper({ executor: dataSource, tables: [`${S}.job_devices`, `${S}.jobs`], logger: new Logger('ReadModelStatistics') }),
};
