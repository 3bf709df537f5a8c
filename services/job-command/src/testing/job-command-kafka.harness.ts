import { randomBytes } from 'node:crypto';
import { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { Admin, Kafka, logLevel } from 'kafkajs';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { ALL_TOPICS, EventEnvelope, fromWireMessage, TOPICS, toWireMessage } from '@fleetjobs/contracts';
import { configureHttpApp } from '@fleetjobs/http-kit';
import { ConsumedMessage, EventLogServer, KafkaEventLog, NamespacedEventLog, Subscription } from '@fleetjobs/messaging';
import { openPostgres } from '@fleetjobs/persistence-pg';
import { InfraModule, retentionDaysFromEnv, ServiceEndpoints } from '@fleetjobs/runtime';
import { ensureKafkaBrokers, testPostgresUrl } from '@fleetjobs/testing';
import { JobDefinitionChecker } from '../jobs/job-definition-checker.port';
import { JOB_DEFINITION_CHECKER, JOB_RETENTION_DAYS } from '../jobs/job.tokens';
import { JOB_PREVIEW_SOURCES, JobPreviewSources } from '../jobs/preview/job-preview-sources.port';
import { JobCommandModule } from '../job-command.module';
import { jobCommandMigrations } from '../job-command.migrations';

/** The PostgreSQL server the integration tests use; each harness gets its own database on it. */
const SERVER_URL = testPostgresUrl();
const PARTITIONS = 2;

/** A message read back from the namespaced jobs topic, with its envelope decoded. */
export interface SeenEvent {
  message: ConsumedMessage;
  envelope: EventEnvelope<string, any>;
}

export interface JobCommandOnKafka {
  base: string;
  dataSource: DataSource;
  namespace: string;
  /** Every event on the namespaced jobs topic, in the order this process read them. */
  seen: SeenEvent[];
  /** The copies on the lifecycle topic, which the service's lifecycle consumers read. */
  lifecycleSeen: SeenEvent[];
  eventsOf(jobId: string, type?: string): SeenEvent[];
  /** Publishes envelopes to the namespaced jobs topic, keyed by subject (the job id). */
  publish(...envelopes: EventEnvelope[]): Promise<void>;
  /** Publishes a raw message, e.g. one whose data no reader accepts. */
  publishRaw(message: { key: string; headers: Record<string, string>; value: string }): Promise<void>;
  /** Whether the service's consumer `group` has committed its position past `message`: it is handled. */
  handledPast(group: string, message: ConsumedMessage): Promise<boolean>;
  close(): Promise<void>;
}

/**
 * job-command composed as its own process composes it (InfraModule over a PostgreSQL database of
 * its own and Kafka, EventLogServer as the transport), except that device-set's verdict on job
 * definitions is a stand-in that accepts every definition: device-set is not what these tests examine.
 */
/** Sources of a fleet where no other job holds any device: no job conflicts with another. */
export const NO_OVERLAPS: JobPreviewSources = {
  async *memberIds() {
    return;
  },
  overlapsAmong: async () => [],
};

export async function startJobCommandOnKafka(
  options: { endpoints?: Partial<ServiceEndpoints>; previewSources?: JobPreviewSources; retentionDays?: number } = {},
): Promise<JobCommandOnKafka> {
  const suffix = randomBytes(5).toString('hex');
  const databaseName = `fleetjobs_test_job_command_kafka_${suffix}`;
  const namespace = `job-command-it-${suffix}`;
  const url = new URL(SERVER_URL);
  url.pathname = `/${databaseName}`;
  const brokers = await ensureKafkaBrokers();

  const dataSource = await openPostgres({ url: url.toString(), migrations: jobCommandMigrations });
  const kafka = new KafkaEventLog({
    brokers,
    clientId: `job-command-it-${suffix}`,
    logLevel: 'nothing',
    consumer: { sessionTimeoutMs: 6_000, heartbeatIntervalMs: 300, rebalanceTimeoutMs: 6_000, maxWaitTimeMs: 200, stopGraceMs: 300 },
  });
  const eventLog = new NamespacedEventLog(kafka, namespace);
  await eventLog.ensureTopics(ALL_TOPICS, PARTITIONS);

  const acceptAll: JobDefinitionChecker = { check: async () => ({ ok: true, template: 'vending-machine' }) };
  const moduleRef = await Test.createTestingModule({
    imports: [
      InfraModule.forRoot({ dataSource, eventLog, endpoints: { deviceSet: '', dispatcher: '', jobCommand: '', projection: '', ...options.endpoints } }),
      JobCommandModule,
    ],
  })
    .overrideProvider(JOB_DEFINITION_CHECKER)
    .useValue(acceptAll)
    .overrideProvider(JOB_PREVIEW_SOURCES)
    .useValue(options.previewSources ?? NO_OVERLAPS)
    .overrideProvider(JOB_RETENTION_DAYS)
    .useValue(options.retentionDays ?? retentionDaysFromEnv(process.env.JOB_RETENTION_DAYS))
    .compile();
  const app: INestApplication = moduleRef.createNestApplication({ bodyParser: false, logger: ['error'] });
  configureHttpApp(app);
  app.connectMicroservice({ strategy: new EventLogServer(eventLog) }, { inheritAppConfig: true });
  await app.startAllMicroservices();
  await app.listen(0, '127.0.0.1');
  const base = (await app.getUrl()).replace('[::1]', '127.0.0.1');

  const admin = new Kafka({ clientId: `job-command-it-admin-${suffix}`, brokers, logLevel: logLevel.NOTHING }).admin();
  await admin.connect();

  const seen: SeenEvent[] = [];
  const lifecycleSeen: SeenEvent[] = [];
  const reader: Subscription = await eventLog.subscribe({
    groupId: 'test-reader',
    topics: [TOPICS.jobs, TOPICS.jobLifecycle],
    handleBatch: async (batch) => {
      for (const message of batch) {
        const envelope = fromWireMessage(message);
        if (envelope) (message.topic === TOPICS.jobs ? seen : lifecycleSeen).push({ message, envelope });
      }
    },
  });

  return {
    base,
    dataSource,
    namespace,
    seen,
    lifecycleSeen,
    eventsOf: (jobId, type) => seen.filter((event) => event.message.key === jobId && (type === undefined || event.envelope.type === type)),
    publish: (...envelopes) => eventLog.publish(envelopes.map((envelope) => toWireMessage(TOPICS.jobs, envelope))),
    publishRaw: (message) => eventLog.publish([{ topic: TOPICS.jobs, ...message }]),
    async handledPast(group, message) {
      const [committed] = await admin.fetchOffsets({ groupId: `${namespace}.${group}`, topics: [`${namespace}.${message.topic}`] });
      const position = committed?.partitions.find((partition) => partition.partition === message.partition)?.offset ?? '-1';
      return BigInt(position) > BigInt(message.offset);
    },
    async close() {
      await reader.stop().catch(() => undefined);
      await app.close();
      await kafka.close();
      if (dataSource.isInitialized) await dataSource.destroy();
      await dropDatabase(databaseName);
      await deleteNamespace(admin, namespace).finally(() => admin.disconnect());
    },
  };
}

async function dropDatabase(name: string): Promise<void> {
  const admin = new Client({ connectionString: SERVER_URL });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  } finally {
    await admin.end();
  }
}

/** Removes the namespace's topics and consumer groups from the shared broker. */
async function deleteNamespace(admin: Admin, namespace: string): Promise<void> {
  const prefix = `${namespace}.`;
  const topics = (await admin.listTopics()).filter((topic) => topic.startsWith(prefix));
  if (topics.length > 0) await admin.deleteTopics({ topics });
  const groups = (await admin.listGroups()).groups.map((group) => group.groupId).filter((group) => group.startsWith(prefix));
  if (groups.length > 0) await admin.deleteGroups(groups);
}
