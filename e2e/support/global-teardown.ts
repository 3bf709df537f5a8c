/** Stops what global setup started. */
export default async function globalTeardown(): Promise<void> {
  const system = (globalThis as Record<string, unknown>).__FLEETJOBS_SYSTEM__ as { stop(): Promise<void> } | undefined;
  await system?.stop();
}
