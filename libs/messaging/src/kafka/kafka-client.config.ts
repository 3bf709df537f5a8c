import { inspect } from 'node:util';
import { KafkaConfig, SASLOptions } from 'kafkajs';

/** A secret that never shows itself in a string, JSON, `util.inspect` or a log line; `reveal()` gives the value. */
export class RedactedSecret {
  readonly #value: string;

  constructor(value: string) {
    this.#value = value;
  }

  reveal(): string {
    return this.#value;
  }

  toString(): string {
    return '[redacted]';
  }

  toJSON(): string {
    return '[redacted]';
  }

  [inspect.custom](): string {
    return '[redacted]';
  }
}

export type KafkaSaslMechanism = 'plain' | 'scram-sha-256' | 'scram-sha-512';
export const KAFKA_SASL_MECHANISMS: readonly KafkaSaslMechanism[] = ['plain', 'scram-sha-256', 'scram-sha-512'];

/** TLS to the brokers. Without `caPem` the system's CAs verify them. */
export interface KafkaTls {
  /** PEM bundle of the CAs that signed the brokers' certificates (replaces the system's CAs). */
  caPem?: string;
  /** Client certificate and key (PEM), for brokers that require mutual TLS. */
  certPem?: string;
  keyPem?: RedactedSecret;
  /** Whether a broker certificate that does not verify ends the connection. Default true. */
  rejectUnauthorized: boolean;
}

export interface KafkaSasl {
  mechanism: KafkaSaslMechanism;
  username: string;
  password: RedactedSecret;
}

/** How a process authenticates to the brokers and protects the connection; nothing set means plaintext. */
export interface KafkaSecurity {
  tls?: KafkaTls;
  sasl?: KafkaSasl;
}

export interface KafkaClientOptions {
  clientId: string;
  brokers: string[];
  security?: KafkaSecurity;
}

/**
 * The kafkajs client configuration of every Fleetjobs process that talks to Kafka: brokers, TLS and
 * SASL from one place. Callers add their own timeouts, retries and logging.
 */
export function kafkaClientConfig(options: KafkaClientOptions): KafkaConfig {
  const { tls, sasl } = options.security ?? {};
  return {
    clientId: options.clientId,
    brokers: options.brokers,
    ...(tls ? { ssl: tlsOptions(tls) } : {}),
    ...(sasl ? { sasl: saslOptions(sasl) } : {}),
  };
}

/** One line for the start-up log: what protects the connection, never a secret. */
export function describeKafkaSecurity(security: KafkaSecurity | undefined): string {
  const { tls, sasl } = security ?? {};
  const parts = [
    !tls
      ? 'plaintext'
      : `TLS (${tls.caPem ? 'CA bundle from file' : 'system CAs'}${tls.certPem ? ', client certificate' : ''}${
          tls.rejectUnauthorized ? '' : ', broker certificate NOT verified'
        })`,
    sasl ? `SASL ${sasl.mechanism} as ${sasl.username}` : 'no SASL',
  ];
  return parts.join(', ');
}

function tlsOptions(tls: KafkaTls): KafkaConfig['ssl'] {
  if (!tls.caPem && !tls.certPem && tls.rejectUnauthorized) return true;
  return {
    rejectUnauthorized: tls.rejectUnauthorized,
    ...(tls.caPem ? { ca: [tls.caPem] } : {}),
    ...(tls.certPem ? { cert: tls.certPem } : {}),
    ...(tls.keyPem ? { key: tls.keyPem.reveal() } : {}),
  };
}

function saslOptions(sasl: KafkaSasl): SASLOptions {
  const password = sasl.password.reveal();
  switch (sasl.mechanism) {
    case 'plain':
      return { mechanism: 'plain', username: sasl.username, password };
    case 'scram-sha-256':
      return { mechanism: 'scram-sha-256', username: sasl.username, password };
    case 'scram-sha-512':
      return { mechanism: 'scram-sha-512', username: sasl.username, password };
  }
}
