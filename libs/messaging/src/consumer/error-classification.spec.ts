import { errorSignature, isPermanentPublishError, isTransientError } from './error-classification';
import { MessageRejectedError } from '../message-rejected.error';

function withFields(message: string, fields: Record<string, unknown>): Error {
  return Object.assign(new Error(message), fields);
}

describe('isTransientError', () => {
  it.each([
    ['a refused connection', withFields('connect ECONNREFUSED 127.0.0.1:5432', { code: 'ECONNREFUSED' })],
    ['a PostgreSQL shutdown', withFields('terminating connection due to administrator command', { code: '57P01' })],
    ['a connection exception class 08', withFields('connection failure', { code: '08006' })],
    ['a serialization failure', withFields('could not serialize access', { code: '40001' })],
    ['a deadlock', withFields('deadlock detected', { code: '40P01' })],
    ['a dropped pg connection', new Error('Connection terminated unexpectedly')],
    ['TypeORM without a connection', withFields('not connected', { name: 'CannotExecuteNotConnectedError' })],
    ['a Kafka connection error', withFields('broker down', { name: 'KafkaJSConnectionError' })],
    ['a retriable Kafka protocol error', withFields('leader moved', { name: 'KafkaJSProtocolError', retriable: true })],
    ['an error declaring itself transient', withFields('throttled', { transient: true })],
    [
      'a query error wrapping a refused connection',
      withFields('query failed', { name: 'QueryFailedError', driverError: withFields('refused', { code: 'ECONNREFUSED' }) }),
    ],
    ['a cause chain', new Error('outer', { cause: withFields('inner', { code: 'ETIMEDOUT' }) })],
  ])('%s is transient', (_name, error) => {
    expect(isTransientError(error)).toBe(true);
  });

  it.each([
    ['a bug', new TypeError("Cannot read properties of undefined (reading 'jobId')")],
    ['a constraint violation', withFields('duplicate key', { code: '23505' })],
    ['a data exception', withFields('invalid input syntax', { code: '22P02' })],
    ['a non-retriable Kafka error', withFields('too large', { name: 'KafkaJSProtocolError', type: 'MESSAGE_TOO_LARGE', retriable: false })],
    ['a string', 'boom'],
  ])('%s is not transient', (_name, error) => {
    expect(isTransientError(error)).toBe(false);
  });
});

describe('isPermanentPublishError', () => {
  it.each([
    ['Kafka MESSAGE_TOO_LARGE', withFields('too large', { name: 'KafkaJSProtocolError', type: 'MESSAGE_TOO_LARGE', retriable: false })],
    [
      'Kafka MESSAGE_TOO_LARGE wrapped by the retrier',
      withFields('non retriable', { name: 'KafkaJSNonRetriableError', cause: withFields('x', { type: 'MESSAGE_TOO_LARGE' }) }),
    ],
    ['Kafka INVALID_RECORD', withFields('invalid', { name: 'KafkaJSProtocolError', type: 'INVALID_RECORD' })],
    ['the embedded log refusing a message', new MessageRejectedError('too large', 'jobs.events', 'job-1')],
    ['PostgreSQL refusing the value', withFields('invalid byte sequence', { code: '22021' })],
  ])('%s is permanent', (_name, error) => {
    expect(isPermanentPublishError(error)).toBe(true);
  });

  it.each([
    ['a broker that cannot be reached', withFields('broker down', { name: 'KafkaJSConnectionError' })],
    ['retries exhausted', withFields('retries', { name: 'KafkaJSNumberOfRetriesExceeded', cause: withFields('x', { type: 'MESSAGE_TOO_LARGE' }) })],
    ['an unknown topic', withFields('unknown topic', { name: 'KafkaJSProtocolError', type: 'UNKNOWN_TOPIC_OR_PARTITION', retriable: true })],
    ['a database that is down', withFields('refused', { code: 'ECONNREFUSED' })],
    ['a plain error', new Error('something')],
  ])('%s is not permanent', (_name, error) => {
    expect(isPermanentPublishError(error)).toBe(false);
  });
});

describe('errorSignature', () => {
  it('is the same for failures that differ only in numbers (ids, timestamps)', () => {
    expect(errorSignature(new Error('job 42 failed at 1700000000'))).toBe(errorSignature(new Error('job 7 failed at 1800000000')));
  });

  it('differs for another message, name or code', () => {
    const base = errorSignature(withFields('boom', { code: '23505' }));
    expect(errorSignature(withFields('bang', { code: '23505' }))).not.toBe(base);
    expect(errorSignature(withFields('boom', { code: '23503' }))).not.toBe(base);
    expect(errorSignature(new TypeError('boom'))).not.toBe(errorSignature(new Error('boom')));
  });
});
