import { ApiProblem, problemFromResponse } from './api-problem';

/** The part of the browser's EventSource the dashboard uses: `open`, named events, `error`, `close()`. */
export interface JobEventStream {
  addEventListener(type: string, listener: (event: MessageEvent<string>) => void): void;
  close(): void;
}

export interface FetchEventStreamOptions {
  /** Read on every (re)connection, so a renewed credential is used. */
  headers: () => Record<string, string>;
  /** The server refused the credential (401): the stream ends. */
  unauthorized: (problem: ApiProblem) => void;
  /** Delay before reconnecting when the server named none with `retry:`. */
  retryMs?: number;
}

/**
 * Server-sent events read from fetch's body stream, because EventSource cannot send an
 * Authorization header. It behaves as EventSource does: `open` once connected, one event per
 * `event:`/`data:` block, `error` when the connection drops followed by a reconnection after the
 * server's `retry:` delay with `Last-Event-ID`; an answer that is not a 200 event stream
 * (401, 403, 404, ...) fires `error` and ends the stream.
 */
export class FetchEventStream implements JobEventStream {
  private readonly listeners = new Map<string, ((event: MessageEvent<string>) => void)[]>();
  private readonly abort = new AbortController();
  private retryMs: number;
  private lastEventId = '';
  private timer: ReturnType<typeof setTimeout> | undefined;
  private closed = false;

  constructor(
    private readonly url: string,
    private readonly options: FetchEventStreamOptions,
  ) {
    this.retryMs = options.retryMs ?? 3000;
    // Listeners are added right after construction, as with EventSource; connect once they are.
    queueMicrotask(() => void this.connect());
  }

  addEventListener(type: string, listener: (event: MessageEvent<string>) => void): void {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), listener]);
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.timer);
    this.abort.abort();
  }

  private emit(type: string, data?: string): void {
    if (this.closed) return;
    const event = new MessageEvent<string>(type, { data, lastEventId: this.lastEventId });
    this.listeners.get(type)?.forEach((listener) => listener(event));
  }

  private async connect(): Promise<void> {
    if (this.closed) return;
    let response: Response;
    try {
      const headers: Record<string, string> = { accept: 'text/event-stream', ...this.options.headers() };
      if (this.lastEventId) headers['last-event-id'] = this.lastEventId;
      response = await globalThis.fetch(this.url, { headers, signal: this.abort.signal, cache: 'no-store' });
    } catch {
      return this.dropped();
    }
    const type = response.headers.get('content-type') ?? '';
    if (!response.ok || !response.body || !type.startsWith('text/event-stream')) {
      const problem = response.ok ? new ApiProblem(response.status, 'Not an event stream', type) : await problemFromResponse(response);
      if (problem.status === 401) this.options.unauthorized(problem);
      this.emit('error');
      this.close();
      return;
    }
    this.emit('open');
    try {
      await this.read(response.body);
      this.dropped();
    } catch {
      this.dropped();
    }
  }

  private dropped(): void {
    if (this.closed) return;
    this.emit('error');
    if (this.closed) return;
    this.timer = setTimeout(() => void this.connect(), this.retryMs);
  }

  private async read(body: ReadableStream<Uint8Array>): Promise<void> {
    const reader = body.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    let event = { type: '', data: [] as string[] };
    for (;;) {
      const { value, done } = await reader.read();
      if (done || this.closed) return;
      buffer += decoder.decode(value, { stream: true });
      const lines = buffer.split(/\r?\n/);
      buffer = lines.pop() ?? '';
      for (const line of lines) {
        if (line === '') {
          if (event.data.length) this.emit(event.type || 'message', event.data.join('\n'));
          event = { type: '', data: [] };
          continue;
        }
        if (line.startsWith(':')) continue;
        const colon = line.indexOf(':');
        const field = colon === -1 ? line : line.slice(0, colon);
        const raw = colon === -1 ? '' : line.slice(colon + 1);
        const text = raw.startsWith(' ') ? raw.slice(1) : raw;
        if (field === 'event') event.type = text;
        else if (field === 'data') event.data.push(text);
        else if (field === 'id' && !text.includes('\0')) this.lastEventId = text;
        else if (field === 'retry' && /^\d+$/.test(text)) this.retryMs = Number(text);
      }
    }
  }
}
