import { readFileSync } from 'node:fs';
import { KAFKA_SASL_MECHANISMS, KafkaSasl, KafkaSaslMechanism, KafkaSecurity, KafkaTls, RedactedSecret } from '@fleetjobs/messaging';

/** The environment variables that configure TLS and SASL to Kafka; a launcher hands them on to its children. */
export const KAFKA_SECURITY_VARIABLES = [
  'KAFKA_SSL',
  'KAFKA_SSL_CA_FILE',
  'KAFKA_SSL_CERT_FILE',
  'KAFKA_SSL_KEY_FILE',
  'KAFKA_SSL_REJECT_UNAUTHORIZED',
  'KAFKA_SASL_MECHANISM',
  'KAFKA_SASL_USERNAME',
  'KAFKA_SASL_PASSWORD',
  'KAFKA_SASL_PASSWORD_FILE',
] as const;

type Variable = (typeof KAFKA_SECURITY_VARIABLES)[number];
type Environment = Record<string, string | undefined>;
type ReadFile = (path: string) => string;

/** A Kafka security variable that is missing, malformed or contradicts another; the message names it, never a secret. */
export class KafkaConfigError extends Error {
  constructor(
    readonly variable: Variable,
    problem: string,
  ) {
    super(`${variable}: ${problem}`);
    this.name = 'KafkaConfigError';
  }
}

/**
 * TLS and SASL to the brokers from the environment (empty counts as unset):
 * - `KAFKA_SSL=true` turns on TLS verified by the system's CAs; `KAFKA_SSL_CA_FILE` (a PEM bundle)
 *   and the client certificate `KAFKA_SSL_CERT_FILE` + `KAFKA_SSL_KEY_FILE` turn it on as well;
 *   `KAFKA_SSL_REJECT_UNAUTHORIZED=false` accepts a broker certificate that does not verify.
 * - `KAFKA_SASL_MECHANISM` (plain, scram-sha-256, scram-sha-512) with `KAFKA_SASL_USERNAME` and
 *   `KAFKA_SASL_PASSWORD` or `KAFKA_SASL_PASSWORD_FILE`.
 * Throws `KafkaConfigError` for an incomplete or contradictory combination.
 */
export function kafkaSecurityFromEnv(
  environment: Environment = process.env,
  readFile: ReadFile = (path) => readFileSync(path, 'utf8'),
): KafkaSecurity {
  const value = (name: Variable): string | undefined => {
    const raw = environment[name];
    return raw === undefined || raw.trim() === '' ? undefined : raw;
  };
  const read = (name: Variable, path: string): string => {
    try {
      return readFile(path);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
      throw new KafkaConfigError(name, `cannot read ${path} (${code})`);
    }
  };
  const tls = tlsFromEnv(value, read);
  const sasl = saslFromEnv(value, read);
  return { ...(tls ? { tls } : {}), ...(sasl ? { sasl } : {}) };
}

type Value = (name: Variable) => string | undefined;
type Read = (name: Variable, path: string) => string;

function tlsFromEnv(value: Value, read: Read): KafkaTls | undefined {
  const enabled = booleanVariable('KAFKA_SSL', value('KAFKA_SSL'));
  const caFile = value('KAFKA_SSL_CA_FILE');
  const certFile = value('KAFKA_SSL_CERT_FILE');
  const keyFile = value('KAFKA_SSL_KEY_FILE');
  const rejectUnauthorized = booleanVariable('KAFKA_SSL_REJECT_UNAUTHORIZED', value('KAFKA_SSL_REJECT_UNAUTHORIZED'));
  const implied = caFile ?? certFile ?? keyFile;
  if (enabled === false && implied !== undefined) {
    const by: Variable = caFile ? 'KAFKA_SSL_CA_FILE' : certFile ? 'KAFKA_SSL_CERT_FILE' : 'KAFKA_SSL_KEY_FILE';
    throw new KafkaConfigError('KAFKA_SSL', `is false but ${by} is set, which needs TLS`);
  }
  if (enabled !== true && implied === undefined) {
    if (rejectUnauthorized !== undefined) {
      throw new KafkaConfigError('KAFKA_SSL_REJECT_UNAUTHORIZED', 'is set but TLS is off (set KAFKA_SSL=true or KAFKA_SSL_CA_FILE)');
    }
    return undefined;
  }
  if (certFile && !keyFile) throw new KafkaConfigError('KAFKA_SSL_KEY_FILE', 'is required with KAFKA_SSL_CERT_FILE (the client certificate’s key)');
  if (keyFile && !certFile) throw new KafkaConfigError('KAFKA_SSL_CERT_FILE', 'is required with KAFKA_SSL_KEY_FILE (the client certificate)');
  const caPem = caFile ? pemFile(read, 'KAFKA_SSL_CA_FILE', caFile, 'CERTIFICATE') : undefined;
  const certPem = certFile ? pemFile(read, 'KAFKA_SSL_CERT_FILE', certFile, 'CERTIFICATE') : undefined;
  const keyPem = keyFile ? new RedactedSecret(pemFile(read, 'KAFKA_SSL_KEY_FILE', keyFile, 'PRIVATE KEY')) : undefined;
  return {
    rejectUnauthorized: rejectUnauthorized ?? true,
    ...(caPem ? { caPem } : {}),
    ...(certPem ? { certPem } : {}),
    ...(keyPem ? { keyPem } : {}),
  };
}

function saslFromEnv(value: Value, read: Read): KafkaSasl | undefined {
  const mechanismText = value('KAFKA_SASL_MECHANISM');
  const username = value('KAFKA_SASL_USERNAME');
  const password = value('KAFKA_SASL_PASSWORD');
  const passwordFile = value('KAFKA_SASL_PASSWORD_FILE');
  if (mechanismText === undefined) {
    const stray: Variable | undefined = username
      ? 'KAFKA_SASL_USERNAME'
      : password
        ? 'KAFKA_SASL_PASSWORD'
        : passwordFile
          ? 'KAFKA_SASL_PASSWORD_FILE'
          : undefined;
    if (stray) throw new KafkaConfigError('KAFKA_SASL_MECHANISM', `is required when ${stray} is set (one of ${KAFKA_SASL_MECHANISMS.join(', ')})`);
    return undefined;
  }
  const mechanism = mechanismText.trim().toLowerCase() as KafkaSaslMechanism;
  if (!KAFKA_SASL_MECHANISMS.includes(mechanism)) {
    throw new KafkaConfigError('KAFKA_SASL_MECHANISM', `must be one of ${KAFKA_SASL_MECHANISMS.join(', ')}`);
  }
  if (username === undefined) throw new KafkaConfigError('KAFKA_SASL_USERNAME', `is required with KAFKA_SASL_MECHANISM=${mechanism}`);
  if (password !== undefined && passwordFile !== undefined) {
    throw new KafkaConfigError('KAFKA_SASL_PASSWORD_FILE', 'is set together with KAFKA_SASL_PASSWORD; set only one');
  }
  if (password === undefined && passwordFile === undefined) {
    throw new KafkaConfigError('KAFKA_SASL_PASSWORD', `is required with KAFKA_SASL_MECHANISM=${mechanism} (or KAFKA_SASL_PASSWORD_FILE)`);
  }
  const secret = password ?? read('KAFKA_SASL_PASSWORD_FILE', passwordFile as string).replace(/\r?\n$/, '');
  if (secret === '') throw new KafkaConfigError('KAFKA_SASL_PASSWORD_FILE', 'names an empty file');
  return { mechanism, username: username.trim(), password: new RedactedSecret(secret) };
}

function booleanVariable(name: Variable, text: string | undefined): boolean | undefined {
  if (text === undefined) return undefined;
  const normalised = text.trim().toLowerCase();
  if (normalised === 'true') return true;
  if (normalised === 'false') return false;
  throw new KafkaConfigError(name, 'must be true or false');
}

function pemFile(read: Read, name: Variable, path: string, label: 'CERTIFICATE' | 'PRIVATE KEY'): string {
  const text = read(name, path);
  if (!new RegExp(`-----BEGIN [A-Z ]*${label}-----`).test(text)) {
    throw new KafkaConfigError(name, `${path} holds no PEM ${label.toLowerCase()}`);
  }
  return text;
}
