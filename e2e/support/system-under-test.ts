import { FleetjobsClient } from './fleetjobs.client';
import { readFileSync } from 'node:fs';
import { HubSimulatorAdminClient } from '@fleetjobs/hub-simulator';

/** The running system the scenarios talk to, as global setup published it. */
export function systemUnderTest(): { api: FleetjobsClient; hub: HubSimulatorAdminClient; topology: string } {
  const baseUrl = process.env.FLEETJOBS_URL;
  const connectionString = process.env.FLEETJOBS_HUB_CONNECTION_STRING;
  const caFile = process.env.FLEETJOBS_HUB_CA_FILE;
  const adminToken = process.env.FLEETJOBS_ADMIN_TOKEN;
  if (!baseUrl || !connectionString || !caFile || !adminToken) throw new Error('the end-to-end global setup did not publish the system under test');
  return {
    api: new FleetjobsClient(baseUrl, adminToken, { conformance: true }),
    hub: new HubSimulatorAdminClient(connectionString, readFileSync(caFile, 'utf8')),
    topology: process.env.E2E_TOPOLOGY ?? 'distributed',
  };
}
