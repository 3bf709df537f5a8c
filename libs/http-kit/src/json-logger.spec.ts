import { runWithRequestId } from '@fleetjobs/contracts';
import { createLogger, JsonLogger } from './json-logger';

function capture(): { lines: Record<string, unknown>[]; destination: { write(line: string): void } } {
  const lines: Record<string, unknown>[] = [];
  return { lines, destination: { write: (line: string) => void lines.push(JSON.parse(line)) } };
}

describe('the JSON logs of every process', () => {
  it('names the service on every line and the request while one is handled', () => {
    const { lines, destination } = capture();
    const logger = createLogger('job-command', 'info', destination);
    logger.info('outside');
    runWithRequestId('r-42', () => logger.info('inside'));
    logger.debug('below the level');
    expect(lines).toEqual([
      expect.objectContaining({ level: 30, service: 'job-command', msg: 'outside' }),
      expect.objectContaining({ level: 30, service: 'job-command', msg: 'inside', requestId: 'r-42' }),
    ]);
    expect(lines[0]).not.toHaveProperty('requestId');
  });

  it('turns a Nest log call with an object into fields of the line, its msg the text', () => {
    const { lines, destination } = capture();
    const logger = new JsonLogger('projection', 'info', destination);
    logger.log({ msg: 'answered', method: 'GET', status: 200 }, 'http');
    logger.warn('slow batch', 'JobEventsConsumer');
    logger.error('failed', 'Error: at x', 'Outbox');
    expect(lines).toEqual([
      expect.objectContaining({ level: 30, service: 'projection', context: 'http', msg: 'answered', method: 'GET', status: 200 }),
      expect.objectContaining({ level: 40, context: 'JobEventsConsumer', msg: 'slow batch' }),
      expect.objectContaining({ level: 50, context: 'Outbox', msg: 'failed', trace: 'Error: at x' }),
    ]);
  });
});
