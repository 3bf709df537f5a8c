import { ProvidedTestInfrastructure, provideTestInfrastructure } from '../../libs/testing/src/infrastructure/test-infrastructure';
import type { InfrastructureNeeds } from '../../libs/testing/src/infrastructure/test-infrastructure.decider';

const PROVIDED = '__FLEETJOBS_TEST_INFRASTRUCTURE__';
export const ALL_INFRASTRUCTURE: InfrastructureNeeds = { postgres: true, kafka: true };

/**
 * Once per Jest run, in the parent process: PostgreSQL and Kafka from FLEETJOBS_TEST_DATABASE_URL / KAFKA_BROKERS,
 * else from containers when a Docker engine answers, else the local services. The workers inherit
 * the exported addresses; testPostgresServerUrl() and ensureKafkaBrokers() read them.
 * Jest loads global setup without the path aliases, so this reaches libs/testing by path.
 */
export async function setUpTestInfrastructure(needs: InfrastructureNeeds = ALL_INFRASTRUCTURE): Promise<void> {
  (globalThis as Record<string, unknown>)[PROVIDED] = await provideTestInfrastructure(needs);
}

/** Stops the containers setUpTestInfrastructure started, if any. */
export async function tearDownTestInfrastructure(): Promise<void> {
  const provided = (globalThis as Record<string, unknown>)[PROVIDED] as ProvidedTestInfrastructure | undefined;
  delete (globalThis as Record<string, unknown>)[PROVIDED];
  await provided?.stop();
}

export default function globalSetup(): Promise<void> {
  return setUpTestInfrastructure();
}
