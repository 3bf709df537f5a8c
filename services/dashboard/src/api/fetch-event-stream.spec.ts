import { waitFor } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { ApiProblem } from './api-problem';
import { FetchEventStream } from './fetch-event-stream';

/** One answer of the stream endpoint whose body the test writes to. */
function streamAnswer() {
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  const body = new ReadableStream<Uint8Array>({ start: (c) => void (controller = c) });
  const encoder = new TextEncoder();
  return {
    response: new Response(body, { status: 200, headers: { 'content-type': 'text/event-stream' } }),
    write: (text: string) => controller.enqueue(encoder.encode(text)),
    end: () => controller.close(),
  };
}

function record(stream: FetchEventStream) {
  const seen: string[] = [];
  for (const type of ['open', 'job', 'message', 'error']) {
    stream.addEventListener(type, (event) => seen.push(event.data == null ? type : `${type}:${event.data}`));
  }
  return seen;
}

describe('event stream read with fetch', () => {
  it('sends the credential, and reads named events split anywhere across chunks', async () => {
    const answer = streamAnswer();
    const fetch = vi.fn(async () => answer.response);
    vi.stubGlobal('fetch', fetch);
    const stream = new FetchEventStream('/api/jobs/j1/stream', { headers: () => ({ authorization: 'Bearer fjt_a_b' }), unauthorized: vi.fn() });
    const seen = record(stream);
    await waitFor(() => expect(seen).toEqual(['open']));
    answer.write(': keep-alive\n\nevent: job\nda');
    answer.write('ta: {"id":"j1",\ndata: "n":1}\r\nid: 7\n\n');
    answer.write('data: plain\n\n');
    await waitFor(() => expect(seen).toEqual(['open', 'job:{"id":"j1",\n"n":1}', 'message:plain']));
    const init = fetch.mock.calls[0] as unknown as [string, RequestInit];
    expect(new Headers(init[1].headers).get('authorization')).toBe('Bearer fjt_a_b');
    stream.close();
  });

  it('reconnects after the server drops it, after the retry delay and with the last event id', async () => {
    const first = streamAnswer();
    const second = streamAnswer();
    const fetch = vi.fn().mockResolvedValueOnce(first.response).mockResolvedValueOnce(second.response);
    vi.stubGlobal('fetch', fetch);
    const stream = new FetchEventStream('/s', { headers: () => ({}), unauthorized: vi.fn() });
    const seen = record(stream);
    first.write('retry: 10\nid: 41\nevent: job\ndata: 1\n\n');
    first.end();
    await waitFor(() => expect(seen).toEqual(['open', 'job:1', 'error', 'open']));
    expect(new Headers((fetch.mock.calls[1] as [string, RequestInit])[1].headers).get('last-event-id')).toBe('41');
    stream.close();
  });

  it('ends on a refused credential (401): tells the owner, fires error, does not reconnect', async () => {
    const problem = { title: 'Unauthorized', status: 401, detail: 'The token expired.' };
    const fetch = vi.fn(async () => new Response(JSON.stringify(problem), { status: 401, headers: { 'content-type': 'application/problem+json' } }));
    vi.stubGlobal('fetch', fetch);
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      const unauthorized = vi.fn();
      const stream = new FetchEventStream('/s', { headers: () => ({}), unauthorized, retryMs: 1 });
      const seen = record(stream);
      await vi.waitFor(() => expect(seen).toEqual(['error']));
      expect((unauthorized.mock.calls[0][0] as ApiProblem).detail).toBe('The token expired.');
      await vi.runAllTimersAsync();
      expect(vi.getTimerCount()).toBe(0);
      expect(fetch).toHaveBeenCalledTimes(1);
    } finally {
      vi.useRealTimers();
    }
  });

  it('stops reading and never reconnects once closed', async () => {
    const answer = streamAnswer();
    const fetch = vi.fn(async () => answer.response);
    vi.stubGlobal('fetch', fetch);
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      const stream = new FetchEventStream('/s', { headers: () => ({}), unauthorized: vi.fn(), retryMs: 1 });
      const seen = record(stream);
      await vi.waitFor(() => expect(seen).toEqual(['open']));
      stream.close();
      answer.write('event: job\ndata: late\n\n');
      await vi.runAllTimersAsync();
      expect(vi.getTimerCount()).toBe(0);
      expect(seen).toEqual(['open']);
      expect(fetch).toHaveBeenCalledTimes(1);
    } finally {
      vi.useRealTimers();
    }
  });
});
