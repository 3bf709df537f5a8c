import { SseParser } from './sse.parser';

describe('server-sent events parser', () => {
  it('reads named events and skips heartbeats', () => {
    const parser = new SseParser();
    expect(parser.push(': heartbeat\n\nevent: job\ndata: {"a":1}\n\n')).toEqual([{ type: 'job', data: '{"a":1}' }]);
  });

  it('joins an event split across chunks, even inside a line', () => {
    const parser = new SseParser();
    expect(parser.push('event: jo')).toEqual([]);
    expect(parser.push('b\r\ndata: {"st')).toEqual([]);
    expect(parser.push('atus":"running"}\r')).toEqual([]);
    expect(parser.push('\n\r\n')).toEqual([{ type: 'job', data: '{"status":"running"}' }]);
  });

  it('joins data lines with a line break and defaults the type to message', () => {
    expect(new SseParser().push('data: a\ndata:b\n\n')).toEqual([{ type: 'message', data: 'a\nb' }]);
  });

  it('dispatches nothing for a block without data, nor for an unfinished block', () => {
    const parser = new SseParser();
    expect(parser.push('event: job\n\nevent: job\ndata: 1\n')).toEqual([]);
  });
});
