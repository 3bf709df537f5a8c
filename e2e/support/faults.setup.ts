import buildOnce from './build-once.setup';
import { setUpTestInfrastructure } from './test-infrastructure.setup';

/**
 * The fault suite breaks a PostgreSQL cluster and a broker of each scenario's own (processes it
 * can stop and kill -9), so only the shared PostgreSQL, where the hub simulator lives, is picked here.
 */
export default async function globalSetup(): Promise<void> {
  await buildOnce();
  await setUpTestInfrastructure({ postgres: true, kafka: false });
}
