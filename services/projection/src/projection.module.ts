import { Inject, Module, OnModuleInit } from '@nestjs/common';
import { ReadinessRegistry } from '@fleetjobs/http-kit';
import { DATA_SOURCE } from '@fleetjobs/runtime';
import { DataSource } from 'typeorm';
import { AccessEventsConsumer } from './access/access-events.consumer';
import { AuditEntriesHandler } from './audit/audit-entries.handler';
import { DeletedDevicesHandler } from './devices/deleted-devices.handler';
import { DeviceEventsConsumer } from './devices/device-events.consumer';
import { JobBatchHandler } from './jobs/job-batch.handler';
import { JobChangeNotifier } from './jobs/job-change.notifier';
import { JobEventsConsumer } from './jobs/job-events.consumer';
import { JOB_RETENTION_DAYS, PROJECTION_SCHEMA, retentionDaysFromEnv } from './projection.tokens';
import { AuditEntriesQuery } from './read/audit-entries.query';
import { AuditHttpController } from './read/audit.http.controller';
import { JobStreamHttpController } from './read/job-stream.http.controller';
import { DEFAULT_JOB_STREAM_TIMINGS, JOB_STREAM_TIMINGS, JobUpdatesStream } from './read/job-updates.stream';
import { JobHistoryQuery } from './read/job-history.query';
import { JobViewsQuery } from './read/job-views.query';
import { AcceptedJobsSource } from './read/accepted-jobs.source';
import { JobsHttpController } from './read/jobs.http.controller';
import { JobDeviceIdsHttpController } from './read/job-device-ids.http.controller';
import { JobDeviceIdsQuery } from './read/job-device-ids.query';
import { JobOverlapsHttpController } from './read/job-overlaps.http.controller';
import { JobOverlapsQuery } from './read/job-overlaps.query';
import { JobRetentionSweeper } from './retention/job-retention.sweeper';
import { readModelStatistics } from './statistics/read-model-statistics.provider';

/**
 * The projection service: consumes the jobs, devices and access topics (group `projection`) into
 * read models in the `projection` schema, serves the REST reads of jobs, their live stream and the
 * audit trail, and drops jobs' history past the retention (`JOB_RETENTION_DAYS`, default 30; the
 * audit entries stay).
 */
@Module({
  // Consumers are controllers too: Nest discovers message handlers on controllers only.
  controllers: [
    JobEventsConsumer,
    DeviceEventsConsumer,
    AccessEventsConsumer,
    JobsHttpController,
    JobStreamHttpController,
    AuditHttpController,
    JobDeviceIdsHttpController,
    JobOverlapsHttpController,
  ],
  providers: [
    JobBatchHandler,
    AuditEntriesHandler,
    DeletedDevicesHandler,
    JobChangeNotifier,
    JobViewsQuery,
    JobHistoryQuery,
    JobDeviceIdsQuery,
    JobOverlapsQuery,
    AuditEntriesQuery,
    AcceptedJobsSource,
    JobUpdatesStream,
    JobRetentionSweeper,
    readModelStatistics,
    { provide: JOB_RETENTION_DAYS, useFactory: () => retentionDaysFromEnv(process.env.JOB_RETENTION_DAYS) },
    { provide: JOB_STREAM_TIMINGS, useValue: DEFAULT_JOB_STREAM_TIMINGS },
  ],
  exports: [JobBatchHandler, DeletedDevicesHandler, JobViewsQuery, JobRetentionSweeper, JobChangeNotifier],
})
export class ProjectionModule implements OnModuleInit {
  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    private readonly readiness: ReadinessRegistry,
  ) {}

  onModuleInit(): void {
    this.readiness.add({
      name: `${PROJECTION_SCHEMA}-database`,
      check: async () => (await this.dataSource.query('SELECT 1')).length === 1,
    });
  }
}
