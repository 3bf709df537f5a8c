import { INestApplication } from '@nestjs/common';
import { configureHttpApp } from '@fleetjobs/http-kit';
import { EventLogServer, SqlEventLog } from '@fleetjobs/messaging';
import { InfraModule } from '@fleetjobs/runtime';
import { Test } from '@nestjs/testing';
import { DataSource } from 'typeorm';
import { ProjectionModule } from '../projection.module';
import { JOB_RETENTION_DAYS } from '../projection.tokens';
import { DEFAULT_JOB_STREAM_TIMINGS, JOB_STREAM_TIMINGS, JobStreamTimings } from '../read/job-updates.stream';

export interface ProjectionTestApp {
  app: INestApplication;
  baseUrl: string;
  eventLog: SqlEventLog;
  close(): Promise<void>;
}

export interface ProjectionTestAppOptions {
  retentionDays?: number;
  timings?: Partial<JobStreamTimings>;
  /** Runs the consumers on the embedded event log, as the service does in production. */
  consume?: boolean;
}

/** The projection module in a real Nest HTTP app on a random port, on the given database. */
export async function startProjectionApp(dataSource: DataSource, options: ProjectionTestAppOptions = {}): Promise<ProjectionTestApp> {
  const eventLog = new SqlEventLog({ dataSource, schema: 'projection_test_log', pollIntervalMs: 20 });
  const endpoints = { deviceSet: '', dispatcher: '', jobCommand: '', projection: '' };
  let builder = Test.createTestingModule({
    imports: [InfraModule.forRoot({ dataSource, eventLog, endpoints }), ProjectionModule],
  })
    .overrideProvider(JOB_STREAM_TIMINGS)
    .useValue({ ...DEFAULT_JOB_STREAM_TIMINGS, ...options.timings });
  if (options.retentionDays !== undefined) builder = builder.overrideProvider(JOB_RETENTION_DAYS).useValue(options.retentionDays);
  const moduleRef = await builder.compile();
  const app = moduleRef.createNestApplication({ bodyParser: false, logger: ['error', 'warn'] });
  configureHttpApp(app);
  if (options.consume) {
    app.connectMicroservice({ strategy: new EventLogServer(eventLog) });
    await app.startAllMicroservices();
  }
  await app.listen(0, '127.0.0.1');
  const address = app.getHttpServer().address() as { port: number };
  return {
    app,
    baseUrl: `http://127.0.0.1:${address.port}`,
    eventLog,
    async close() {
      await app.close();
      await eventLog.close();
    },
  };
}
