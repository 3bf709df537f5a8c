import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateTlsMaterial, HubSimulator, hubThrottleFromEnv, startHubSimulator } from '@fleetjobs/hub-simulator';
import { EMBEDDED_HUB_FILES } from '@fleetjobs/runtime';
import { DataSource } from 'typeorm';

/**
 * The hub simulator inside the embedded process. Its key and certificate are kept in DATA_DIR so
 * that restarts keep the same identity; the connection string and CA are written there too, for
 * tools that want to inspect the simulated fleet.
 */
export async function startEmbeddedHub(dataSource: DataSource, dataDir: string, port: number): Promise<HubSimulator> {
  const hubDir = join(dataDir, 'hub');
  mkdirSync(hubDir, { recursive: true });
  const keyFile = join(hubDir, 'shared-access-key');
  const tlsKeyFile = join(hubDir, 'key.pem');
  const certFile = join(dataDir, EMBEDDED_HUB_FILES.caCert);
  if (!existsSync(keyFile)) writeFileSync(keyFile, randomBytes(32).toString('base64'), { mode: 0o600 });
  if (!existsSync(tlsKeyFile) || !existsSync(certFile)) {
    const tls = await generateTlsMaterial();
    writeFileSync(tlsKeyFile, tls.key, { mode: 0o600 });
    writeFileSync(certFile, tls.cert);
  }
  const hub = await startHubSimulator({
    dataSource,
    port,
    sharedAccessKey: readFileSync(keyFile, 'utf8').trim(),
    tls: { key: readFileSync(tlsKeyFile, 'utf8'), cert: readFileSync(certFile, 'utf8') },
    throttle: hubThrottleFromEnv(process.env),
  });
  writeFileSync(join(dataDir, EMBEDDED_HUB_FILES.connectionString), hub.connectionString, { mode: 0o600 });
  return hub;
}
