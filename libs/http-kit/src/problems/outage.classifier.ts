import { DependencyUnavailableError } from './dependency-unavailable.error';

/** An infrastructure failure: what is unavailable, in words a caller may see (no addresses, no secrets). */
export interface Outage {
  dependency: string;
  detail: string;
}

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

// PostgreSQL SQLSTATEs that mean "the server is not there for you right now" rather than "your query is wrong":
// class 08 connection exceptions, 53300 too many connections, 57P01-57P03 shutdown / cannot connect now.
const PG_UNAVAILABLE = /^(08...|53300|57P0[123])$/;

// pg and pg-pool raise these without a code when a connection dies or cannot be had.
const PG_CONNECTION_MESSAGES = [
  'Connection terminated',
  'Client has encountered a connection error and is not queryable',
  'timeout exceeded when trying to connect',
  'Cannot use a pool after calling end on the pool',
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
  'KafkaJSNoBrokerAvailableError',
  'KafkaJSGroupCoordinatorNotFound',
  'KafkaJSTopicMetadataNotLoaded',
]);

const MAX_CHAIN = 8;

interface ErrorLike {
  name?: unknown;
  message?: unknown;
  code?: unknown;
  retriable?: unknown;
  cause?: unknown;
  driverError?: unknown;
  originalError?: unknown;
  errors?: unknown;
}

/**
 * Whether an error a request ran into is an outage of something it depends on (PostgreSQL,
 * Kafka, a peer service) rather than a fault of this code; `null` for anything else.
 * Looks through wrappers: `cause`, TypeORM's `driverError`, kafkajs's `originalError`, `AggregateError`.
 */
export function classifyOutage(error: unknown): Outage | null {
  const chain = causeChain(error);
  const declared = chain.find((link): link is DependencyUnavailableError => link instanceof DependencyUnavailableError);
  if (declared) return outage(declared.dependency);

  const errors = chain.filter((link): link is ErrorLike => typeof link === 'object' && link !== null);
  const names = errors.map((link) => String(link.name ?? ''));
  if (names.some((name) => name.startsWith('KafkaJS'))) {
    const unavailable = errors.some(
      (link) => KAFKA_UNAVAILABLE.has(String(link.name)) || (String(link.name).startsWith('KafkaJS') && link.retriable === true),
    );
    return unavailable || errors.some(isNetworkFailure) ? outage('event log') : null;
  }
  if (errors.some(isFetchFailure)) return outage('peer service');
  if (errors.some(isDatabaseFailure)) return outage('database');
  if (errors.some(isNetworkFailure)) return outage('backing service');
  return null;
}

function outage(dependency: string): Outage {
  return { dependency, detail: `The ${dependency} this request needs is unavailable; try again shortly.` };
}

function causeChain(error: unknown): unknown[] {
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
  return seen;
}

function isNetworkFailure(error: ErrorLike): boolean {
  return typeof error.code === 'string' && NETWORK_CODES.has(error.code);
}

function isFetchFailure(error: ErrorLike): boolean {
  if (error.name === 'TypeError' && error.message === 'fetch failed') return true;
  // AbortSignal.timeout() aborts a fetch with a TimeoutError; an aborted fetch rejects with an AbortError.
  return error.name === 'TimeoutError' || error.name === 'AbortError';
}

function isDatabaseFailure(error: ErrorLike): boolean {
  if (typeof error.code === 'string' && PG_UNAVAILABLE.test(error.code)) return true;
  if (TYPEORM_NOT_CONNECTED.has(String(error.name))) return true;
  const message = typeof error.message === 'string' ? error.message : '';
  return PG_CONNECTION_MESSAGES.some((known) => message.startsWith(known));
}
