import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { workspaceRoot } from '../runtime-config';

/** A throwaway single-node broker that demands SASL, as a real cluster does. */
export interface SecuredKafkaBroker {
  /** SASL over plaintext: PLAIN and SCRAM-SHA-256. */
  readonly saslPlaintext: string;
  /** SASL over TLS: the broker's certificate is signed by `caFile`'s CA, for 127.0.0.1. */
  readonly saslSsl: string;
  /** TLS that requires a client certificate signed by the same CA (no SASL). */
  readonly mutualTls: string;
  /** PEM of the CA that signed the broker's certificate. */
  readonly caFile: string;
  /** A client certificate the `mutualTls` listener accepts, and its key (PEM). */
  readonly clientCertFile: string;
  readonly clientKeyFile: string;
  readonly username: string;
  readonly password: string;
  /** A file holding the password and a final newline, as a mounted secret does. */
  readonly passwordFile: string;
  destroy(): Promise<void>;
}

/**
 * Starts `deploy/local/kafka/kafka.sh` on free ports with its own data folder in a temporary
 * directory, with a SASL_PLAINTEXT and a SASL_SSL listener besides the plain one the script waits
 * on, and an SSL listener that requires a client certificate. One user, known to PLAIN (in the
 * listener's JAAS config) and to SCRAM (added when the storage is formatted). The CA and the broker
 * and client certificates are made with openssl.
 */
export async function startSecuredKafkaBroker(): Promise<SecuredKafkaBroker> {
  const dir = mkdtempSync(join(tmpdir(), 'fleetjobs-secured-kafka-'));
  const username = 'fleetjobs';
  const password = `pw-${randomBytes(12).toString('hex')}`;
  const storePassword = randomBytes(12).toString('hex');
  const [plainPort, controllerPort, saslPort, sslPort, mtlsPort] = [await freePort(), await freePort(), await freePort(), await freePort(), await freePort()];
  const { caFile, keystore, clientCertFile, clientKeyFile } = makeCertificates(dir, storePassword);
  const passwordFile = join(dir, 'kafka-password');
  writeFileSync(passwordFile, `${password}\n`, { mode: 0o600 });
  const jaasPlain = `org.apache.kafka.common.security.plain.PlainLoginModule required user_${username}="${password}";`;
  const jaasScram = 'org.apache.kafka.common.security.scram.ScramLoginModule required;';
  const extraProperties = join(dir, 'secured.properties');
  writeFileSync(
    extraProperties,
    [
      `listeners=PLAINTEXT://127.0.0.1:${plainPort},CONTROLLER://127.0.0.1:${controllerPort},SASL_PLAINTEXT://127.0.0.1:${saslPort},SASL_SSL://127.0.0.1:${sslPort},SSL://127.0.0.1:${mtlsPort}`,
      `advertised.listeners=PLAINTEXT://127.0.0.1:${plainPort},SASL_PLAINTEXT://127.0.0.1:${saslPort},SASL_SSL://127.0.0.1:${sslPort},SSL://127.0.0.1:${mtlsPort}`,
      'listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT,SASL_PLAINTEXT:SASL_PLAINTEXT,SASL_SSL:SASL_SSL,SSL:SSL',
      'sasl.enabled.mechanisms=PLAIN,SCRAM-SHA-256',
      ...['sasl_plaintext', 'sasl_ssl'].flatMap((listener) => [
        `listener.name.${listener}.plain.sasl.jaas.config=${jaasPlain}`,
        `listener.name.${listener}.scram-sha-256.sasl.jaas.config=${jaasScram}`,
      ]),
      'ssl.keystore.type=PKCS12',
      `ssl.keystore.location=${keystore}`,
      `ssl.keystore.password=${storePassword}`,
      `ssl.key.password=${storePassword}`,
      'ssl.client.auth=none',
      'ssl.truststore.type=PEM',
      `ssl.truststore.location=${caFile}`,
      'listener.name.ssl.ssl.client.auth=required',
      '',
    ].join('\n'),
  );
  const script = join(workspaceRoot(), 'deploy', 'local', 'kafka', 'kafka.sh');
  const env = {
    ...process.env,
    KAFKA_PORT: String(plainPort),
    KAFKA_CONTROLLER_PORT: String(controllerPort),
    FLEETJOBS_KAFKA_DATA: join(dir, 'data'),
    KAFKA_HEAP_OPTS: '-Xms128m -Xmx384m',
    KAFKA_EXTRA_PROPERTIES: extraProperties,
    KAFKA_FORMAT_ARGS: `--add-scram SCRAM-SHA-256=[name=${username},password=${password}]`,
  };
  const run = (command: 'start' | 'stop') =>
    new Promise<void>((resolve, reject) => {
      execFile('bash', [script, command], { env, timeout: 240_000 }, (error, _stdout, stderr) => {
        if (error) reject(new Error(`kafka.sh ${command} failed: ${error.message}\n${stderr}`));
        else resolve();
      });
    });
  // A test run that dies leaves no broker behind (kafka.sh runs it in its own session).
  const stopOnExit = () => spawnSync('bash', [script, 'stop'], { env, stdio: 'ignore' });
  process.once('exit', stopOnExit);
  try {
    await run('start');
  } catch (error) {
    stopOnExit();
    process.removeListener('exit', stopOnExit);
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    saslPlaintext: `127.0.0.1:${saslPort}`,
    saslSsl: `127.0.0.1:${sslPort}`,
    mutualTls: `127.0.0.1:${mtlsPort}`,
    caFile,
    clientCertFile,
    clientKeyFile,
    username,
    password,
    passwordFile,
    async destroy() {
      await run('stop');
      process.removeListener('exit', stopOnExit);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A CA, a broker certificate for 127.0.0.1 signed by it (in a PKCS#12 keystore) and a client certificate. */
function makeCertificates(dir: string, storePassword: string): { caFile: string; keystore: string; clientCertFile: string; clientKeyFile: string } {
  const file = (name: string) => join(dir, name);
  const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  const ecKey = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  openssl('req', '-x509', ...ecKey, '-keyout', file('ca.key'), '-out', file('ca.pem'), '-days', '2', '-subj', '/CN=Fleetjobs test Kafka CA');
  openssl('req', ...ecKey, '-keyout', file('broker.key'), '-out', file('broker.csr'), '-subj', '/CN=127.0.0.1');
  writeFileSync(file('broker.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\n');
  openssl(
    'x509', '-req', '-in', file('broker.csr'), '-CA', file('ca.pem'), '-CAkey', file('ca.key'), '-set_serial', '2',
    '-out', file('broker.pem'), '-days', '2', '-extfile', file('broker.ext'),
  );
  openssl(
    'pkcs12', '-export', '-in', file('broker.pem'), '-inkey', file('broker.key'), '-certfile', file('ca.pem'),
    '-name', 'broker', '-out', file('broker.p12'), '-passout', `pass:${storePassword}`,
  );
  openssl('req', ...ecKey, '-keyout', file('client.key'), '-out', file('client.csr'), '-subj', '/CN=fleetjobs-client');
  writeFileSync(file('client.ext'), 'extendedKeyUsage=clientAuth\n');
  openssl(
    'x509', '-req', '-in', file('client.csr'), '-CA', file('ca.pem'), '-CAkey', file('ca.key'), '-set_serial', '3',
    '-out', file('client.pem'), '-days', '2', '-extfile', file('client.ext'),
  );
  return { caFile: file('ca.pem'), keystore: file('broker.p12'), clientCertFile: file('client.pem'), clientKeyFile: file('client.key') };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no free port'))));
    });
  });
}
