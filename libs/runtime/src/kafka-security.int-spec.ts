import { randomBytes, randomUUID } from 'node:crypto';
import { Logger, LoggerService } from '@nestjs/common';
import { Kafka, logLevel } from 'kafkajs';
import { toWireMessage } from '@fleetjobs/contracts';
import { ConsumedMessage, KafkaEventLog, kafkaClientConfig, KafkaSecurity } from '@fleetjobs/messaging';
import { waitFor } from '@fleetjobs/testing';
import { SecuredKafkaBroker, startSecuredKafkaBroker } from './__fixtures__/secured-kafka.broker';
import { kafkaSecurityFromEnv } from './kafka-security.config';

// A broker of the test's own that demands SASL (PLAIN and SCRAM-SHA-256, over plaintext and over
// TLS) or a client certificate; the clients are built as the services build theirs: environment →
// kafkaSecurityFromEnv → KafkaEventLog / kafkaClientConfig.
describe('Kafka with TLS and SASL', () => {
  let broker: SecuredKafkaBroker;
  const logLines: string[] = [];
  const capture: LoggerService = {
    log: (message: unknown) => void logLines.push(String(message)),
    error: (message: unknown, ...rest: unknown[]) => void logLines.push([message, ...rest].map(String).join(' ')),
    warn: (message: unknown) => void logLines.push(String(message)),
    debug: (message: unknown) => void logLines.push(String(message)),
    verbose: (message: unknown) => void logLines.push(String(message)),
  };
  const logs: KafkaEventLog[] = [];

  beforeAll(async () => {
    Logger.overrideLogger(capture);
    broker = await startSecuredKafkaBroker();
  }, 240_000);

  afterEach(async () => {
    await Promise.all(logs.splice(0).map((log) => log.close()));
  });

  afterAll(async () => {
    await broker?.destroy();
    Logger.overrideLogger(new Logger());
  }, 60_000);

  const sasl = (mechanism: string, password: Record<string, string>) => ({
    KAFKA_SASL_MECHANISM: mechanism,
    KAFKA_SASL_USERNAME: broker.username,
    ...password,
  });

  function eventLog(brokers: string, security: KafkaSecurity): KafkaEventLog {
    const log = new KafkaEventLog({
      brokers: [brokers],
      clientId: 'kafka-security-int-spec',
      security,
      // Everything kafkajs says reaches the captured log, to show the password is not in it.
      logLevel: 'debug',
      consumer: { sessionTimeoutMs: 6_000, heartbeatIntervalMs: 300, rebalanceTimeoutMs: 6_000, maxWaitTimeMs: 200, stopGraceMs: 300 },
    });
    logs.push(log);
    return log;
  }

  async function roundTrip(log: KafkaEventLog): Promise<void> {
    const topic = `secured-${randomBytes(4).toString('hex')}`;
    await log.ensureTopics([topic], 1);
    const seen: ConsumedMessage[] = [];
    await log.subscribe({ groupId: topic, topics: [topic], handleBatch: async (batch) => void seen.push(...batch) });
    const id = randomUUID();
    const envelope = {
      id,
      type: 'JobCreated',
      version: 1,
      source: '/fleetjobs/job-command',
      subject: 'job-1',
      time: new Date().toISOString(),
      correlationId: id,
      causationId: id,
      data: { jobId: 'job-1', marker: id },
    };
    await log.publish([toWireMessage(topic, envelope)]);
    await waitFor('the message to come back through the consumer group', () => seen.some((m) => m.value.includes(id)), 30_000);
  }

  /** A client of its own without retries, so that a refusal is reported at once. */
  async function connectOnce(brokers: string, security: KafkaSecurity): Promise<void> {
    const admin = new Kafka({ ...kafkaClientConfig({ clientId: 'kafka-security-int-spec', brokers: [brokers], security }), retry: { retries: 0 }, connectionTimeout: 5_000, logLevel: logLevel.NOTHING }).admin();
    try {
      await admin.connect();
      await admin.listTopics();
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
  }

  it('produces and consumes over SASL PLAIN with the right password', async () => {
    await roundTrip(eventLog(broker.saslPlaintext, kafkaSecurityFromEnv(sasl('plain', { KAFKA_SASL_PASSWORD: broker.password }))));
  });

  it('produces and consumes over TLS (the CA from KAFKA_SSL_CA_FILE) with SCRAM-SHA-256 and the password from a file', async () => {
    const security = kafkaSecurityFromEnv({
      KAFKA_SSL_CA_FILE: broker.caFile,
      ...sasl('scram-sha-256', { KAFKA_SASL_PASSWORD_FILE: broker.passwordFile }),
    });
    await roundTrip(eventLog(broker.saslSsl, security));
  });

  it('produces and consumes over mutual TLS with the client certificate of KAFKA_SSL_CERT_FILE/KAFKA_SSL_KEY_FILE', async () => {
    const security = kafkaSecurityFromEnv({
      KAFKA_SSL_CA_FILE: broker.caFile,
      KAFKA_SSL_CERT_FILE: broker.clientCertFile,
      KAFKA_SSL_KEY_FILE: broker.clientKeyFile,
    });
    await roundTrip(eventLog(broker.mutualTls, security));
    const withoutCertificate = kafkaSecurityFromEnv({ KAFKA_SSL_CA_FILE: broker.caFile });
    // The broker ends the handshake with a TLS alert (bad certificate / certificate required).
    await expect(connectOnce(broker.mutualTls, withoutCertificate)).rejects.toThrow(/certificate/);
  });

  it('is refused with a wrong password, saying SASL authentication failed', async () => {
    const saying = { plain: /^SASL PLAIN authentication failed/, 'scram-sha-256': /^SASL SCRAM SHA256 authentication failed/ };
    for (const [mechanism, message] of Object.entries(saying)) {
      const security = kafkaSecurityFromEnv(sasl(mechanism, { KAFKA_SASL_PASSWORD: `${broker.password}-wrong` }));
      await expect(connectOnce(broker.saslPlaintext, security)).rejects.toThrow(message);
    }
  });

  it('is refused without credentials on a SASL listener (the broker closes the connection)', async () => {
    await expect(connectOnce(broker.saslPlaintext, {})).rejects.toThrow(/Closed connection/);
  });

  it('refuses a broker whose certificate the system CAs do not trust, saying why', async () => {
    const security = kafkaSecurityFromEnv({ KAFKA_SSL: 'true', ...sasl('plain', { KAFKA_SASL_PASSWORD: broker.password }) });
    await expect(connectOnce(broker.saslSsl, security)).rejects.toThrow(/certificate/i);
  });

  it('never puts the password in a log line, at kafkajs debug level, and with a wrong one', async () => {
    const wrong = `${broker.password}-wrong`;
    await roundTrip(eventLog(broker.saslPlaintext, kafkaSecurityFromEnv(sasl('scram-sha-256', { KAFKA_SASL_PASSWORD: broker.password }))));
    const refused = eventLog(broker.saslPlaintext, kafkaSecurityFromEnv(sasl('plain', { KAFKA_SASL_PASSWORD: wrong })));
    const failure = await refused.ensureTopics(['never-created'], 1).then(
      () => new Error('expected a refusal'),
      (error: unknown) => error as Error,
    );
    expect(failure.message).toMatch(/SASL PLAIN authentication failed/);
    expect(logLines.some((line) => line.includes('SASL'))).toBe(true);
    for (const text of [...logLines, failure.message, String(failure.stack)]) {
      expect(text).not.toContain(broker.password);
    }
  });
});
