import { randomBytes } from 'node:crypto';
import { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { Admin, Kafka, logLevel } from 'kafkajs';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { ALL_TOPICS, EventEnvelope, fromWireMessage, TOPICS, toWireMessage } from '@fleetjobs/contracts';
import { AzureIotHubDeviceGateway } from '@fleetjobs/device-gateway';
import { startThrowawayHubSimulator, ThrowawayHubSimulator } from '@fleetjobs/hub-simulator';
import { configureHttpApp } from '@fleetjobs/http-kit';
import { ConsumedMessage, EventLogServer, KafkaEventLog, NamespacedEventLog, Subscription } from '@fleetjobs/messaging';
import { JobControlStore, openPostgres } from '@fleetjobs/persistence-pg';
import { InfraModule } from '@fleetjobs/runtime';
import { ensureKafkaBrokers, testPostgresUrl } from '@fleetjobs/testing';
import { DispatcherConfig } from '../dispatcher.config';
import { dispatcherMigrations } from '../dispatcher.migrations';
import { DispatcherModule } from '../dispatcher.module';

/** The PostgreSQL server the integration tests use; each harness gets its own database on it. */
const SERVER_URL = testPostgresUrl();
/** job-command's schema, whose job-control table the dispatcher reads halts and permits from. */
export const JOB_CONTROL_SCHEMA = 'job_command';
/** One partition: every job shares it, so an event stuck in it would hold back every later job. */
const PARTITIONS = 1;

/** A message read back from the namespaced jobs topic, with its envelope decoded. */
export interface SeenEvent {
  message: ConsumedMessage;
  envelope: EventEnvelope<string, any>;
}

export interface DispatcherOnKafka {
  dataSource: DataSource;
  hub: ThrowawayHubSimulator;
  jobControl: JobControlStore;
  /** Every event on the namespaced jobs topic, in the order this process read them. */
  seen: SeenEvent[];
  /** The copies on the lifecycle topic, which the service's lifecycle consumers read. */
  lifecycleSeen: SeenEvent[];
  eventsOf(jobId: string, type?: string): SeenEvent[];
  /** Publishes envelopes to the namespaced jobs topic in one call, keyed by subject (the job id). */
  publish(...envelopes: EventEnvelope[]): Promise<void>;
  /** Publishes a raw message, e.g. one whose data no reader accepts. */
  publishRaw(message: { key: string; headers: Record<string, string>; value: string }): Promise<void>;
  /** Whether the dispatcher's consumer `group` has committed its position past `message`: it is handled. */
  handledPast(group: string, message: ConsumedMessage): Promise<boolean>;
  close(): Promise<void>;
}

/**
 * The dispatcher composed as its own process composes it: InfraModule over a PostgreSQL database
 * of its own (holding job-command's job-control table too, as when both share a server), Kafka in
 * a namespace of its own, the azure-iothub gateway against a hub simulator, EventLogServer as the
 * transport.
 */
export async function startDispatcherOnKafka(config: Partial<DispatcherConfig> = {}): Promise<DispatcherOnKafka> {
  const suffix = randomBytes(5).toString('hex');
  const databaseName = `fleetjobs_test_dispatcher_kafka_${suffix}`;
  const namespace = `dispatcher-it-${suffix}`;
  const url = new URL(SERVER_URL);
  url.pathname = `/${databaseName}`;
  const brokers = await ensureKafkaBrokers();

  const dataSource = await openPostgres({ url: url.toString(), migrations: dispatcherMigrations });
  const jobControl = new JobControlStore(JOB_CONTROL_SCHEMA);
  for (const statement of jobControl.ddl()) await dataSource.query(statement);

  const kafka = new KafkaEventLog({
    brokers,
    clientId: `dispatcher-it-${suffix}`,
    logLevel: 'nothing',
    consumer: { sessionTimeoutMs: 6_000, heartbeatIntervalMs: 300, rebalanceTimeoutMs: 6_000, maxWaitTimeMs: 200, stopGraceMs: 300 },
  });
  const eventLog = new NamespacedEventLog(kafka, namespace);
  await eventLog.ensureTopics(ALL_TOPICS, PARTITIONS);
  const hub = await startThrowawayHubSimulator();
  const deviceGateway = new AzureIotHubDeviceGateway({ connectionString: hub.simulator.connectionString, caCertPem: hub.simulator.caCertPem });

  const moduleRef = await Test.createTestingModule({
    imports: [
      InfraModule.forRoot({ dataSource, eventLog, deviceGateway, endpoints: { deviceSet: '', dispatcher: '', jobCommand: '', projection: '' } }),
      DispatcherModule.register(config),
    ],
  }).compile();
  const app: INestApplication = moduleRef.createNestApplication({ bodyParser: false, logger: ['error'] });
  configureHttpApp(app);
  app.connectMicroservice({ strategy: new EventLogServer(eventLog) }, { inheritAppConfig: true });
  await app.startAllMicroservices();
  await app.init();

  const admin = new Kafka({ clientId: `dispatcher-it-admin-${suffix}`, brokers, logLevel: logLevel.NOTHING }).admin();
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
    dataSource,
    hub,
    jobControl,
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
      await deviceGateway.close();
      await hub.dispose();
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
