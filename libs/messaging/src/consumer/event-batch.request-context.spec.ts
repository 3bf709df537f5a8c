import { Logger } from '@nestjs/common';
import { currentRequestId, makeEnvelope, toWireMessage, TOPICS } from '@fleetjobs/contracts';
// Installs the process's request context, as every service process has it.
import '@fleetjobs/http-kit';
import type { ConsumedMessage } from '../event-log.port';
import { EventBatchConsumer } from './event-batch.consumer';

function message(offset: number, jobId: string, requestId?: string): ConsumedMessage {
  const envelope = makeEnvelope({ type: 'JobStopped', version: 1, source: '/fleetjobs/job-command', subject: jobId, data: { jobId, stoppedAt: '2026-06-01T09:30:00.000Z' }, requestId, now: new Date() });
  return { ...toWireMessage(TOPICS.jobs, envelope), partition: 0, offset: String(offset) };
}

describe('consuming the events of a request', () => {
  const consumer = new EventBatchConsumer({ group: 'test.requests', deadLetters: { store: async (letters) => letters }, types: ['JobStopped'] });
  let logged: unknown[] = [];
  let seen: { inHandler: string | undefined; made: string | undefined }[] = [];
  const handle = async () => {
    await Promise.resolve();
    seen.push({
      inHandler: currentRequestId(),
      made: makeEnvelope({ type: 'JobSettled', version: 1, source: '/test', subject: 'job', data: {}, now: new Date() }).requestId,
    });
  };

  beforeEach(() => {
    logged = [];
    seen = [];
    jest.spyOn(Logger.prototype, 'log').mockImplementation((line: unknown) => void logged.push({ line, requestId: currentRequestId() }));
  });
  afterEach(() => jest.restoreAllMocks());

  it('handles a batch of one request as part of it: its log lines and the events it decides carry the id', async () => {
    await consumer.consume([message(1, 'job-1', 'r-1'), message(2, 'job-2', 'r-1')], handle);
    expect(seen).toEqual([{ inHandler: 'r-1', made: 'r-1' }]);
    expect(logged).toEqual([{ line: { msg: 'handling events of a request', events: { JobStopped: 2 } }, requestId: 'r-1' }]);
  });

  it('handles a batch mixing requests as part of none, and logs one line per request', async () => {
    await consumer.consume([message(1, 'job-1', 'r-1'), message(2, 'job-2', 'r-2'), message(3, 'job-3')], handle);
    expect(seen).toEqual([{ inHandler: undefined, made: undefined }]);
    expect(logged).toEqual([
      { line: { msg: 'handling events of a request', events: { JobStopped: 1 } }, requestId: 'r-1' },
      { line: { msg: 'handling events of a request', events: { JobStopped: 1 } }, requestId: 'r-2' },
    ]);
  });

  it('writes no line for events no request led to', async () => {
    await consumer.consume([message(1, 'job-1'), message(2, 'job-2')], handle);
    expect(seen).toEqual([{ inHandler: undefined, made: undefined }]);
    expect(logged).toEqual([]);
  });
});
