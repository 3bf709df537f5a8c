import {
  KafkaJSBrokerNotFound,
  KafkaJSConnectionError,
  KafkaJSNumberOfRetriesExceeded,
  KafkaJSProtocolError,
  KafkaJSSASLAuthenticationError,
} from 'kafkajs';
import { QueryFailedError } from 'typeorm';
import { DependencyUnavailableError } from './dependency-unavailable.error';
import { classifyOutage } from './outage.classifier';

/** A Node socket error as `net` raises it. */
function socketError(code: string, syscall = 'connect'): NodeJS.ErrnoException {
  const error = new Error(`${syscall} ${code} 127.0.0.1:5433`) as NodeJS.ErrnoException;
  return Object.assign(error, { code, errno: -111, syscall, address: '127.0.0.1', port: 5433 });
}

/** A PostgreSQL server error as `pg` raises it (`DatabaseError` with a SQLSTATE). */
function pgError(code: string, message: string): Error {
  return Object.assign(new Error(message), { name: 'error', code, severity: 'FATAL' });
}

/** kafkajs's typings declare fewer constructor arguments than its errors take. */
const kafkaError = (type: unknown, ...args: unknown[]) => new (type as new (...args: unknown[]) => Error)(...args);

const fetchFailed = (cause: unknown) => new TypeError('fetch failed', { cause });

describe('classifyOutage', () => {
  describe('PostgreSQL', () => {
    it.each([
      ['57P01 admin shutdown', pgError('57P01', 'terminating connection due to administrator command')],
      ['57P03 cannot connect now', pgError('57P03', 'the database system is starting up')],
      ['08006 connection failure', pgError('08006', 'connection failure')],
      ['53300 too many connections', pgError('53300', 'sorry, too many clients already')],
      ['a dropped connection', new Error('Connection terminated unexpectedly')],
      ['a pool connect timeout', new Error('timeout exceeded when trying to connect')],
    ])('%s is a database outage', (_name, error) => {
      expect(classifyOutage(error)?.dependency).toBe('database');
    });

    it('looks through TypeORM QueryFailedError to the driver error', () => {
      const error = new QueryFailedError('SELECT 1', [], pgError('57P01', 'terminating connection due to administrator command'));
      expect(classifyOutage(error)?.dependency).toBe('database');
    });

    it('a refused connection with no other marker is an outage of a backing service', () => {
      expect(classifyOutage(socketError('ECONNREFUSED'))?.dependency).toBe('backing service');
      expect(classifyOutage(new AggregateError([socketError('ECONNREFUSED'), socketError('ECONNREFUSED')]))).not.toBeNull();
    });

    it.each([
      ['a unique violation', pgError('23505', 'duplicate key value violates unique constraint')],
      ['a syntax error', pgError('42601', 'syntax error at or near "SELEC"')],
      ['an invalid jsonb escape', pgError('22P05', 'unsupported Unicode escape sequence')],
    ])('%s is not an outage', (_name, error) => {
      expect(classifyOutage(new QueryFailedError('…', [], error))).toBeNull();
    });
  });

  describe('Kafka', () => {
    it('connection errors, missing brokers and exhausted retries are event-log outages', () => {
      const connection = new KafkaJSConnectionError('Connection error: connect ECONNREFUSED 127.0.0.1:9092');
      expect(classifyOutage(connection)?.dependency).toBe('event log');
      expect(classifyOutage(kafkaError(KafkaJSBrokerNotFound, 'Broker not found'))?.dependency).toBe('event log');
      expect(classifyOutage(new KafkaJSNumberOfRetriesExceeded(connection, { retryCount: 5, retryTime: 1000 }))?.dependency).toBe('event log');
    });

    it('a retriable protocol error is an outage, a non-retriable one is not', () => {
      expect(classifyOutage(kafkaError(KafkaJSProtocolError, { message: 'leader not available', type: 'LEADER_NOT_AVAILABLE', code: 5, retriable: true }))).not.toBeNull();
      expect(classifyOutage(kafkaError(KafkaJSProtocolError, { message: 'too large', type: 'MESSAGE_TOO_LARGE', code: 10, retriable: false }))).toBeNull();
      expect(classifyOutage(kafkaError(KafkaJSSASLAuthenticationError, 'bad credentials'))).toBeNull();
    });
  });

  describe('peer services', () => {
    it('a fetch that could not connect or timed out is a peer outage', () => {
      expect(classifyOutage(fetchFailed(socketError('ECONNREFUSED')))?.dependency).toBe('peer service');
      expect(classifyOutage(fetchFailed(Object.assign(new Error('Connect Timeout Error'), { code: 'UND_ERR_CONNECT_TIMEOUT' })))).not.toBeNull();
      expect(classifyOutage(new DOMException('The operation was aborted due to timeout', 'TimeoutError'))?.dependency).toBe('peer service');
    });

    it('an adapter names the peer it could not use', () => {
      const error = new DependencyUnavailableError('device-set', 'device-set answered 502', { cause: fetchFailed(socketError('ECONNRESET')) });
      expect(classifyOutage(error)).toEqual({
        dependency: 'device-set',
        detail: 'The device-set this request needs is unavailable; try again shortly.',
      });
    });
  });

  it('never repeats addresses or connection strings in the detail', () => {
    const error = new Error('could not connect', { cause: socketError('ECONNREFUSED') });
    expect(classifyOutage(error)?.detail).not.toMatch(/127\.0\.0\.1|5433|postgres:/);
  });

  it.each([
    ['a programming error', new TypeError("Cannot read properties of undefined (reading 'id')")],
    ['a plain string', 'boom'],
    ['null', null],
    ['a cyclic cause chain', (() => { const e = new Error('loop') as Error & { cause?: unknown }; e.cause = e; return e; })()],
  ])('%s is not an outage', (_name, error) => {
    expect(classifyOutage(error)).toBeNull();
  });
});
