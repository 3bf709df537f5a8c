import { tearDownTestInfrastructure } from './test-infrastructure.setup';

/** Stops what global setup started: the system, then the containers it ran on (if any). */
export default async function globalTeardown(): Promise<void> {
  const system = (globalThis as Record<string, unknown>).__FLEETJOBS_SYSTEM__ as { stop(): Promise<void> } | undefined;
  try {
    await system?.stop();
  } finally {
    await tearDownTestInfrastructure();
  }
}
