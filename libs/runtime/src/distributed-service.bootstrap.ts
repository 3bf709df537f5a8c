import { DynamicModule, Logger, Module, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ALL_TOPICS, DEFAULT_PARTITIONS } from '@fleetjobs/contracts';
import { AzureIotHubDeviceGateway } from '@fleetjobs/device-gateway';
import { configureHttpApp, JsonLogger, LivenessRegistry, ReadinessRegistry } from '@fleetjobs/http-kit';
import { describeKafkaSecurity, EventLogServer, KafkaEventLog, NamespacedEventLog } from '@fleetjobs/messaging';
import { openPostgres } from '@fleetjobs/persistence-pg';
import { MigrationInterface } from 'typeorm';
import { registerConsumerHealth, registerConsumerMetrics } from './consumer-metrics';
import { InfraModule } from './infra.module';
import { kafkaSecurityFromEnv } from './kafka-security.config';
import { databaseUrlFromEnv, endpointsFromEnv, env, hubFromEnv, kafkaBrokersFromEnv } from './runtime-config';

export interface DistributedServiceOptions {
  name: string;
  module: Type | DynamicModule;
  migrations: (new () => MigrationInterface)[];
  defaultPort: number;
  /** Whether the service reaches the hub (device-set, dispatcher). */
  usesHub: boolean;
  /** Closes what the service opened itself, after the app. */
  onShutdown?: () => Promise<void>;
}

/**
 * Runs one service as its own process: its own PostgreSQL database, Kafka for events, the
 * azure-iothub gateway if it reaches devices, HTTP on PORT, health and metrics.
 */
export async function runDistributedService(options: DistributedServiceOptions): Promise<void> {
  const logger = new JsonLogger(options.name);
  // Lines logged before Nest starts (the Kafka client's, while topics are made) are JSON too.
  Logger.overrideLogger(logger);
  // A bad Kafka setting stops the start before anything is opened.
  const kafkaSecurity = kafkaSecurityFromEnv();
  const brokers = kafkaBrokersFromEnv();
  logger.log(`Kafka ${brokers.join(',')}: ${describeKafkaSecurity(kafkaSecurity)}`, options.name);
  const dataSource = await openPostgres({ url: databaseUrlFromEnv(options.name), migrations: options.migrations });
  const kafka = new KafkaEventLog({ brokers, clientId: `fleetjobs-${options.name}`, security: kafkaSecurity });
  const namespace = process.env.KAFKA_NAMESPACE;
  const eventLog = namespace ? new NamespacedEventLog(kafka, namespace) : kafka;
  await eventLog.ensureTopics(ALL_TOPICS, DEFAULT_PARTITIONS);
  const deviceGateway = options.usesHub ? new AzureIotHubDeviceGateway(hubFromEnv()) : undefined;

  @Module({
    imports: [InfraModule.forRoot({ dataSource, eventLog, deviceGateway, endpoints: endpointsFromEnv() }), options.module],
  })
  class ServiceAppModule {}

  const app = await NestFactory.create(ServiceAppModule, { bodyParser: false, logger });
  configureHttpApp(app);
  const server = new EventLogServer(eventLog);
  app.connectMicroservice({ strategy: server }, { inheritAppConfig: true });
  registerConsumerMetrics(server);
  const readiness = app.get(ReadinessRegistry);
  readiness.add({ name: 'event-log', check: () => eventLog.ping() });
  registerConsumerHealth(server, { readiness, liveness: app.get(LivenessRegistry) });
  await app.startAllMicroservices();
  const port = Number(env('PORT', String(options.defaultPort)));
  await app.listen(port, env('HOST', '127.0.0.1'));
  new Logger(options.name).log(`${options.name} listening on ${port}`);

  const shutdown = async () => {
    await app.close();
    await eventLog.close();
    await deviceGateway?.close();
    await options.onShutdown?.();
    await dataSource.destroy();
  };
  process.once('SIGTERM', () => void shutdown().then(() => process.exit(0)));
  process.once('SIGINT', () => void shutdown().then(() => process.exit(0)));
}
