import { inspect } from 'node:util';
import { describeKafkaSecurity, kafkaClientConfig, KafkaSecurity } from '@fleetjobs/messaging';
import { runDistributedService } from './distributed-service.bootstrap';
import { KafkaConfigError, kafkaSecurityFromEnv } from './kafka-security.config';

const PASSWORD = 'pa55-Wörd-never-shown';
const CA = '-----BEGIN CERTIFICATE-----\nCA\n-----END CERTIFICATE-----\n';
const CERT = '-----BEGIN CERTIFICATE-----\nCLIENT\n-----END CERTIFICATE-----\n';
const KEY = '-----BEGIN PRIVATE KEY-----\nKEY-SECRET\n-----END PRIVATE KEY-----\n';
const FILES: Record<string, string> = {
  '/etc/kafka/ca.pem': CA,
  '/etc/kafka/client.pem': CERT,
  '/etc/kafka/client.key': KEY,
  '/run/secrets/kafka-password': `${PASSWORD}\n`,
  '/run/secrets/empty': '\n',
  '/etc/kafka/not-pem': 'hello',
};

function readFile(path: string): string {
  const text = FILES[path];
  if (text === undefined) throw Object.assign(new Error(`ENOENT: no such file, open '${path}'`), { code: 'ENOENT' });
  return text;
}

const read = (environment: Record<string, string>) => kafkaSecurityFromEnv(environment, readFile);

function failure(environment: Record<string, string>): KafkaConfigError {
  try {
    read(environment);
  } catch (error) {
    if (error instanceof KafkaConfigError) return error;
    throw error;
  }
  throw new Error(`expected ${JSON.stringify(Object.keys(environment))} to be refused`);
}

const SASL = { KAFKA_SASL_MECHANISM: 'scram-sha-512', KAFKA_SASL_USERNAME: 'fleetjobs', KAFKA_SASL_PASSWORD: PASSWORD };

describe('kafkaSecurityFromEnv', () => {
  it('is plaintext without any variable, and treats empty values as unset', () => {
    expect(read({})).toEqual({});
    expect(read({ KAFKA_SSL: '', KAFKA_SASL_MECHANISM: ' ' })).toEqual({});
    expect(kafkaClientConfig({ clientId: 'c', brokers: ['b:9092'], security: read({}) })).toEqual({ clientId: 'c', brokers: ['b:9092'] });
  });

  it('KAFKA_SSL=true is TLS verified by the system CAs', () => {
    const security = read({ KAFKA_SSL: 'true' });
    expect(security).toEqual({ tls: { rejectUnauthorized: true } });
    expect(kafkaClientConfig({ clientId: 'c', brokers: ['b:9093'], security }).ssl).toBe(true);
    expect(read({ KAFKA_SSL: 'false' })).toEqual({});
  });

  it('KAFKA_SSL_CA_FILE implies TLS with that bundle only', () => {
    const security = read({ KAFKA_SSL_CA_FILE: '/etc/kafka/ca.pem' });
    expect(security.tls).toEqual({ rejectUnauthorized: true, caPem: CA });
    expect(kafkaClientConfig({ clientId: 'c', brokers: ['b'], security }).ssl).toEqual({ rejectUnauthorized: true, ca: [CA] });
  });

  it('a client certificate and key give mutual TLS', () => {
    const security = read({ KAFKA_SSL: 'true', KAFKA_SSL_CERT_FILE: '/etc/kafka/client.pem', KAFKA_SSL_KEY_FILE: '/etc/kafka/client.key' });
    expect(kafkaClientConfig({ clientId: 'c', brokers: ['b'], security }).ssl).toEqual({ rejectUnauthorized: true, cert: CERT, key: KEY });
  });

  it('KAFKA_SSL_REJECT_UNAUTHORIZED=false accepts an unverified broker certificate', () => {
    const security = read({ KAFKA_SSL: 'TRUE', KAFKA_SSL_REJECT_UNAUTHORIZED: 'false' });
    expect(kafkaClientConfig({ clientId: 'c', brokers: ['b'], security }).ssl).toEqual({ rejectUnauthorized: false });
    expect(describeKafkaSecurity(security)).toContain('NOT verified');
  });

  it.each(['plain', 'scram-sha-256', 'scram-sha-512', 'SCRAM-SHA-256'])('SASL %s with a password', (mechanism) => {
    const security = read({ ...SASL, KAFKA_SASL_MECHANISM: mechanism });
    expect(kafkaClientConfig({ clientId: 'c', brokers: ['b'], security }).sasl).toEqual({
      mechanism: mechanism.toLowerCase(),
      username: 'fleetjobs',
      password: PASSWORD,
    });
  });

  it('reads the password from KAFKA_SASL_PASSWORD_FILE without its final newline', () => {
    const { KAFKA_SASL_PASSWORD: _password, ...withoutPassword } = SASL;
    const security = read({ ...withoutPassword, KAFKA_SASL_PASSWORD_FILE: '/run/secrets/kafka-password' });
    expect(security.sasl?.password.reveal()).toBe(PASSWORD);
  });

  it('SASL and TLS together', () => {
    const config = kafkaClientConfig({ clientId: 'c', brokers: ['b'], security: read({ ...SASL, KAFKA_SSL_CA_FILE: '/etc/kafka/ca.pem' }) });
    expect(config.ssl).toEqual({ rejectUnauthorized: true, ca: [CA] });
    expect(config.sasl).toMatchObject({ mechanism: 'scram-sha-512' });
  });

  it.each<[string, string, Record<string, string>]>([
    ['KAFKA_SSL not a boolean', 'KAFKA_SSL', { KAFKA_SSL: 'yes' }],
    ['KAFKA_SSL=false with a CA file', 'KAFKA_SSL', { KAFKA_SSL: 'false', KAFKA_SSL_CA_FILE: '/etc/kafka/ca.pem' }],
    ['reject-unauthorized without TLS', 'KAFKA_SSL_REJECT_UNAUTHORIZED', { KAFKA_SSL_REJECT_UNAUTHORIZED: 'false' }],
    ['reject-unauthorized not a boolean', 'KAFKA_SSL_REJECT_UNAUTHORIZED', { KAFKA_SSL: 'true', KAFKA_SSL_REJECT_UNAUTHORIZED: '0' }],
    ['a missing CA file', 'KAFKA_SSL_CA_FILE', { KAFKA_SSL_CA_FILE: '/nowhere/ca.pem' }],
    ['a CA file that is not PEM', 'KAFKA_SSL_CA_FILE', { KAFKA_SSL_CA_FILE: '/etc/kafka/not-pem' }],
    ['a certificate without its key', 'KAFKA_SSL_KEY_FILE', { KAFKA_SSL_CERT_FILE: '/etc/kafka/client.pem' }],
    ['a key without its certificate', 'KAFKA_SSL_CERT_FILE', { KAFKA_SSL_KEY_FILE: '/etc/kafka/client.key' }],
    ['a key file that holds no key', 'KAFKA_SSL_KEY_FILE', { KAFKA_SSL_CERT_FILE: '/etc/kafka/client.pem', KAFKA_SSL_KEY_FILE: '/etc/kafka/ca.pem' }],
    ['an unknown mechanism', 'KAFKA_SASL_MECHANISM', { ...SASL, KAFKA_SASL_MECHANISM: 'gssapi' }],
    ['credentials without a mechanism', 'KAFKA_SASL_MECHANISM', { KAFKA_SASL_USERNAME: 'u', KAFKA_SASL_PASSWORD: PASSWORD }],
    ['a password without a mechanism', 'KAFKA_SASL_MECHANISM', { KAFKA_SASL_PASSWORD: PASSWORD }],
    ['a mechanism without a username', 'KAFKA_SASL_USERNAME', { KAFKA_SASL_MECHANISM: 'plain', KAFKA_SASL_PASSWORD: PASSWORD }],
    ['a mechanism without a password', 'KAFKA_SASL_PASSWORD', { KAFKA_SASL_MECHANISM: 'plain', KAFKA_SASL_USERNAME: 'u' }],
    ['both password and password file', 'KAFKA_SASL_PASSWORD_FILE', { ...SASL, KAFKA_SASL_PASSWORD_FILE: '/run/secrets/kafka-password' }],
    ['a missing password file', 'KAFKA_SASL_PASSWORD_FILE', { KAFKA_SASL_MECHANISM: 'plain', KAFKA_SASL_USERNAME: 'u', KAFKA_SASL_PASSWORD_FILE: '/nowhere' }],
    ['an empty password file', 'KAFKA_SASL_PASSWORD_FILE', { KAFKA_SASL_MECHANISM: 'plain', KAFKA_SASL_USERNAME: 'u', KAFKA_SASL_PASSWORD_FILE: '/run/secrets/empty' }],
  ])('refuses %s, naming %s', (_case, variable, environment) => {
    const error = failure(environment);
    expect(error.variable).toBe(variable);
    expect(error.message.startsWith(`${variable}: `)).toBe(true);
    expect(`${error.message}\n${error.stack ?? ''}`).not.toContain(PASSWORD);
    expect(error.message).not.toContain('KEY-SECRET');
  });

  it('never shows the password or the private key in a string, JSON, inspection or the start-up line', () => {
    const security: KafkaSecurity = read({
      ...SASL,
      KAFKA_SSL: 'true',
      KAFKA_SSL_CERT_FILE: '/etc/kafka/client.pem',
      KAFKA_SSL_KEY_FILE: '/etc/kafka/client.key',
    });
    const shown = [
      JSON.stringify(security),
      String(security.sasl?.password),
      `${security.tls?.keyPem}`,
      inspect(security, { depth: 10, showHidden: true }),
      describeKafkaSecurity(security),
    ];
    for (const text of shown) {
      expect(text).not.toContain(PASSWORD);
      expect(text).not.toContain('KEY-SECRET');
    }
    expect(JSON.parse(JSON.stringify(security)).sasl).toEqual({ mechanism: 'scram-sha-512', username: 'fleetjobs', password: '[redacted]' });
    expect(describeKafkaSecurity(security)).toBe('TLS (system CAs, client certificate), SASL scram-sha-512 as fleetjobs');
  });
});

describe('a service started with a bad Kafka setting', () => {
  const saved = { ...process.env };
  afterEach(() => {
    for (const name of Object.keys(process.env)) if (!(name in saved)) delete process.env[name];
    Object.assign(process.env, saved);
  });

  it('does not start: the error names the variable, before a database or broker is opened', async () => {
    Object.assign(process.env, { KAFKA_SASL_MECHANISM: 'plain', KAFKA_SASL_PASSWORD: PASSWORD, DATABASE_URL: 'postgres://nobody@127.0.0.1:1/never' });
    const started = runDistributedService({ name: 'kafka-config-spec', module: class {}, migrations: [], defaultPort: 1, usesHub: false });
    await expect(started).rejects.toThrow(new KafkaConfigError('KAFKA_SASL_USERNAME', 'is required with KAFKA_SASL_MECHANISM=plain'));
    await expect(started).rejects.not.toThrow(PASSWORD);
  });
});
