import buildOnce from './build-once.setup';
import { setUpTestInfrastructure } from './test-infrastructure.setup';

/** Suites whose scenarios start their own systems: dist/ built once, and the shared PostgreSQL and Kafka picked once. */
export default async function globalSetup(): Promise<void> {
  await buildOnce();
  await setUpTestInfrastructure();
}
