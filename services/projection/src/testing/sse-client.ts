/** One Server-Sent Events message, or a comment line (`: heartbeat`). */
export interface SseItem {
  event?: string;
  data?: string;
  comment?: string;
}

/**
 * A minimal SSE reader over fetch for tests: `next(accept)` waits (with a deadline) for the next
 * item that `accept` takes, skipping others; `ended` resolves when the server closes the stream.
 */
export class SseClient {
  private readonly items: SseItem[] = [];
  private waiters: (() => void)[] = [];
  private buffer = '';
  readonly ended: Promise<void>;
  private readonly abort = new AbortController();
  private done = false;

  private constructor(readonly response: Response) {
    this.ended = this.pump();
  }

  static async open(url: string): Promise<SseClient> {
    const controller = new AbortController();
    const response = await fetch(url, { signal: controller.signal, headers: { accept: 'text/event-stream' } });
    const client = new SseClient(response);
    client.abort.signal.addEventListener('abort', () => controller.abort());
    return client;
  }

  get isDone(): boolean {
    return this.done;
  }

  async next(accept: (item: SseItem) => boolean = () => true, timeoutMs = 10_000): Promise<SseItem> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const index = this.items.findIndex(accept);
      if (index >= 0) return this.items.splice(0, index + 1)[index];
      if (this.done) throw new Error('the stream ended before the expected item');
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no matching item within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** The `data` of the next `event: job`, parsed. */
  async nextJob<T = Record<string, unknown>>(accept: (job: T) => boolean = () => true, timeoutMs = 10_000): Promise<T> {
    const item = await this.next((i) => i.event === 'job' && accept(JSON.parse(i.data ?? 'null') as T), timeoutMs);
    return JSON.parse(item.data ?? 'null') as T;
  }

  close(): void {
    this.abort.abort();
  }

  private async pump(): Promise<void> {
    const decoder = new TextDecoder();
    try {
      for await (const chunk of this.response.body as unknown as AsyncIterable<Uint8Array>) {
        this.buffer += decoder.decode(chunk, { stream: true });
        let end: number;
        while ((end = this.buffer.indexOf('\n\n')) >= 0) {
          this.items.push(parse(this.buffer.slice(0, end)));
          this.buffer = this.buffer.slice(end + 2);
        }
        this.wake();
      }
    } catch {
      // aborted by close()
    } finally {
      this.done = true;
      this.wake();
    }
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    waiters.forEach((wake) => wake());
  }
}

function parse(block: string): SseItem {
  const item: SseItem = {};
  for (const line of block.split('\n')) {
    if (line.startsWith(':')) item.comment = line.slice(1).trim();
    else if (line.startsWith('event:')) item.event = line.slice(6).trim();
    else if (line.startsWith('data:')) item.data = (item.data ? `${item.data}\n` : '') + line.slice(5).trimStart();
  }
  return item;
}
