import { Module } from '@nestjs/common';
import { AccessModule } from '@fleetjobs/access';
import { provideUnitOfWork, retentionDaysFromEnv } from '@fleetjobs/runtime';
import { ApproveJobHandler } from './jobs/approve-job/approve-job.handler';
import { ApproveJobHttpController } from './jobs/approve-job/approve-job.http.controller';
import { HttpJobDefinitionChecker } from './jobs/adapters/http-job-definition-checker.adapter';
import { HttpJobDeviceOutcomes } from './jobs/adapters/http-job-device-outcomes.adapter';
import { HttpJobPreviewSources } from './jobs/adapters/http-job-preview-sources.adapter';
import { APPROVAL_POLICY, approvalPolicyFromEnv } from './jobs/create-job/approval.policy';
import { CreateJobHandler } from './jobs/create-job/create-job.handler';
import { CreateJobHttpController } from './jobs/create-job/create-job.http.controller';
import { JobLifecycleConsumer } from './jobs/job-lifecycle/job-lifecycle.consumer';
import { JobStreamExecutor } from './jobs/job-stream.executor';
import { DueStartsPoller } from './jobs/schedule/due-starts.poller';
import { CreateScheduleHandler } from './jobs/schedule/create-schedule.handler';
import { ScheduleCommandsHandler } from './jobs/schedule/schedule-commands.handler';
import { ScheduleStreamExecutor } from './jobs/schedule/schedule-stream.executor';
import { SchedulesHttpController } from './jobs/schedule/schedules.http.controller';
import { PauseJobHandler } from './jobs/pause-job/pause-job.handler';
import { PauseJobHttpController } from './jobs/pause-job/pause-job.http.controller';
import { JOB_PREVIEW_SOURCES } from './jobs/preview/job-preview-sources.port';
import { PreviewJobHandler } from './jobs/preview/preview-job.handler';
import { JobOverlapFinder } from './jobs/preview/job-overlap.finder';
import { JobQueuePoller } from './jobs/job-queue/job-queue.poller';
import { PreviewJobHttpController } from './jobs/preview/preview-job.http.controller';
import { ReadJobHttpController } from './jobs/read-job/read-job.http.controller';
import { ResumeJobHandler } from './jobs/resume-job/resume-job.handler';
import { ResumeJobHttpController } from './jobs/resume-job/resume-job.http.controller';
import { JOB_DEFINITION_CHECKER, JOB_DEVICE_OUTCOMES, JOB_RETENTION_DAYS } from './jobs/job.tokens';
import { RerunJobHandler } from './jobs/rerun-job/rerun-job.handler';
import { RerunJobHttpController } from './jobs/rerun-job/rerun-job.http.controller';
import { RevertJobHandler } from './jobs/revert-job/revert-job.handler';
import { RevertJobHttpController } from './jobs/revert-job/revert-job.http.controller';
import { StopJobHandler } from './jobs/stop-job/stop-job.handler';
import { StopJobHttpController } from './jobs/stop-job/stop-job.http.controller';
import { JobCommandOutbox } from './job-command.outbox';
import { JOB_COMMAND_SCHEMA } from './job-command.schema';

/** Owns the Job and the recurring schedules: accepts, pauses, resumes, stops and concludes jobs, as events in its store, published via its outbox. */
@Module({
  // The API tokens live with job-command (and so in the embedded process too).
  imports: [AccessModule],
  controllers: [
    CreateJobHttpController,
    StopJobHttpController,
    PauseJobHttpController,
    ResumeJobHttpController,
    ApproveJobHttpController,
    RerunJobHttpController,
    RevertJobHttpController,
    PreviewJobHttpController,
    ReadJobHttpController,
    SchedulesHttpController,
    JobLifecycleConsumer,
  ],
  providers: [
    JobCommandOutbox,
    provideUnitOfWork(JOB_COMMAND_SCHEMA, JobCommandOutbox),
    JobStreamExecutor,
    CreateJobHandler,
    StopJobHandler,
    PauseJobHandler,
    ResumeJobHandler,
    ApproveJobHandler,
    RerunJobHandler,
    RevertJobHandler,
    PreviewJobHandler,
    DueStartsPoller,
    ScheduleStreamExecutor,
    CreateScheduleHandler,
    ScheduleCommandsHandler,
    JobOverlapFinder,
    JobQueuePoller,
    { provide: JOB_DEFINITION_CHECKER, useClass: HttpJobDefinitionChecker },
    { provide: JOB_DEVICE_OUTCOMES, useClass: HttpJobDeviceOutcomes },
    { provide: JOB_PREVIEW_SOURCES, useClass: HttpJobPreviewSources },
    { provide: APPROVAL_POLICY, useFactory: () => approvalPolicyFromEnv() },
    { provide: JOB_RETENTION_DAYS, useFactory: () => retentionDaysFromEnv(process.env.JOB_RETENTION_DAYS) },
  ],
})
export class JobCommandModule {}
