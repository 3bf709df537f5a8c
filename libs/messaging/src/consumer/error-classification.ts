/**
 * How the messaging side tells failures apart: a transient failure (the database or the broker is
 * unreachable, a lock or serialization conflict) is retried for as long as it lasts and never
 * costs a message; anything else may be the message's own fault and is retried a bounded number
 * of times before the message is set aside.
 */

// Transport failures of Node sockets and of undici (fetch).
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
]);

// PostgreSQL SQLSTATEs worth waiting out: class 08 connection exceptions, 53xxx insufficient
// resources, 57P01-57P03 shutdown / cannot connect now, 57014 statement timeout, 40001
// serialization failure, 40P01 deadlock, 55P03 lock not available.
const PG_TRANSIENT = /^(08...|53...|57P0[123]|57014|40001|40P01|55P03)$/;

// pg, pg-pool and PGlite raise these without a code when a connection dies or cannot be had.
const CONNECTION_MESSAGES = [
  'Connection terminated',
  'Client has encountered a connection error and is not queryable',
  'timeout exceeded when trying to connect',
  'Cannot use a pool after calling end on the pool',
  'PGlite is closed',
];

// TypeORM's errors for a data source that is not (or no longer) connected.
const TYPEORM_NOT_CONNECTED = new Set(['CannotExecuteNotConnectedError', 'ConnectionIsNotSetError', 'PoolClientError']);

// kafkajs errors that mean the cluster cannot be reached or cannot serve the request now.
const KAFKA_UNAVAILABLE = new Set([
  'KafkaJSConnectionError',
  'KafkaJSConnectionClosedError',
  'KafkaJSNumberOfRetriesExceeded',
  'KafkaJSBrokerNotFound',
  'KafkaJSRequestTimeoutError',
  'KafkaJSTimeout',
  'KafkaJSMetadataNotLoaded',
  'KafkaJSLockTimeout',
]);

// Kafka protocol errors a broker answers for the message itself: sending it again cannot succeed.
const KAFKA_REJECTS_MESSAGE = new Set([
  'MESSAGE_TOO_LARGE',
  'RECORD_LIST_TOO_LARGE',
  'INVALID_RECORD',
  'CORRUPT_MESSAGE',
  'INVALID_TIMESTAMP',
]);

// PostgreSQL refusing a value itself (the embedded log stores messages in SQL): class 22 data
// exceptions and 54000 program limit exceeded.
const PG_REJECTS_VALUE = /^(22...|54000)$/;

const MAX_CHAIN = 8;

interface ErrorLike {
  name?: unknown;
  message?: unknown;
  code?: unknown;
  type?: unknown;
  retriable?: unknown;
  transient?: unknown;
  permanent?: unknown;
  cause?: unknown;
  driverError?: unknown;
  originalError?: unknown;
  errors?: unknown;
}

/** The error and what it wraps: `cause`, TypeORM's `driverError`, kafkajs's `originalError`, `AggregateError`. */
export function causeChain(error: unknown): ErrorLike[] {
  const seen: unknown[] = [];
  const pending = [error];
  while (pending.length > 0 && seen.length < MAX_CHAIN) {
    const link = pending.shift();
    if (link === undefined || link === null || seen.includes(link)) continue;
    seen.push(link);
    if (typeof link !== 'object') continue;
    const { cause, driverError, originalError, errors } = link as ErrorLike;
    pending.push(cause, driverError, originalError, ...(Array.isArray(errors) ? errors : []));
  }
  return seen.filter((link): link is ErrorLike => typeof link === 'object' && link !== null);
}

/**
 * Whether a failure is the infrastructure's, not the message's: a connection refused or lost
 * (PostgreSQL, PGlite, Kafka, a peer over HTTP), a lock or serialization conflict, a statement
 * timeout. An error can declare itself with `transient: true`.
 */
export function isTransientError(error: unknown): boolean {
  return causeChain(error).some(
    (link) =>
      link.transient === true ||
      (typeof link.code === 'string' && (NETWORK_CODES.has(link.code) || PG_TRANSIENT.test(link.code))) ||
      TYPEORM_NOT_CONNECTED.has(String(link.name)) ||
      KAFKA_UNAVAILABLE.has(String(link.name)) ||
      (String(link.name).startsWith('KafkaJS') && link.retriable === true) ||
      (typeof link.message === 'string' && CONNECTION_MESSAGES.some((known) => (link.message as string).startsWith(known))),
  );
}

/**
 * Whether the event log refused a message for what it is (too large, invalid), so that
 * publishing it again can never succeed. Transient failures are never permanent.
 */
export function isPermanentPublishError(error: unknown): boolean {
  if (isTransientError(error)) return false;
  return causeChain(error).some(
    (link) =>
      link.permanent === true ||
      (typeof link.type === 'string' && KAFKA_REJECTS_MESSAGE.has(link.type)) ||
      (typeof link.code === 'string' && PG_REJECTS_VALUE.test(link.code)),
  );
}

/**
 * What makes two failures "the same": the error's name, code and message with numbers blanked,
 * so that an id or a timestamp inside the message does not make every attempt look new.
 */
export function errorSignature(error: unknown): string {
  const [first] = causeChain(error);
  if (!first) return String(error);
  const code = typeof first.code === 'string' ? first.code : '';
  const message = typeof first.message === 'string' ? first.message : String(error);
  return `${String(first.name ?? 'Error')}|${code}|${message.replace(/\d+/g, '#')}`;
}

/** One line describing an error, for logs and dead letters. */
export function describeError(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
