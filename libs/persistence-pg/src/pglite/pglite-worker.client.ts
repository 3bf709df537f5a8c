import type { BackendMessage } from 'pg-protocol/dist/messages';
import type { Parser as ProtocolParser } from 'pg-protocol/dist/parser';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { PgliteWorkerData, PgliteWorkerReply, PgliteWorkerRequest } from './pglite-worker.protocol';

// The parser of the pg the adapter feeds, as pg itself resolves it: the messages are pg's own.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { Parser } = require(require.resolve('pg-protocol/dist/parser', { paths: [dirname(require.resolve('pg'))] })) as { Parser: typeof ProtocolParser };

// Frontend messages that PostgreSQL answers only once a Sync or Flush follows (Parse, Bind,
// Describe, Execute, Close), and the two that send them on.
const PIPELINED = new Set([...'PBDEC'].map((letter) => letter.charCodeAt(0)));
const ENDS_PIPELINE = new Set([...'SH'].map((letter) => letter.charCodeAt(0)));

interface Pending {
  resolve(reply: PgliteWorkerReply & { ok: true }): void;
  reject(error: Error): void;
}

/**
 * Where the worker's script is: compiled next to this file in dist/; from the TypeScript sources
 * (Jest, `node -r tools/jest/swc-register.js`), the worker transpiles them the same way.
 */
function startWorker(data: PgliteWorkerData): Worker {
  const compiled = join(__dirname, 'pglite.worker.js');
  if (existsSync(compiled)) return new Worker(compiled, { workerData: data });
  const register = join(__dirname, '../../../..', 'tools', 'jest', 'swc-register.js');
  const source = join(__dirname, 'pglite.worker.ts');
  return new Worker(`require(${JSON.stringify(register)}); require(${JSON.stringify(source)});`, { eval: true, workerData: data });
}

/**
 * Stands in for a PGlite in PGlite's node-postgres adapter (which needs only `waitReady`,
 * `execProtocolStream` and `close`) and forwards each protocol message to the PGlite of a worker
 * thread. The replies are parsed here by pg's own protocol parser, as if read from a socket.
 * If the worker dies, every pending and later call fails with the reason; none waits forever.
 * Like a PGlite in this thread, the worker keeps the process alive only while a call is pending.
 */
export class PgliteWorkerClient {
  readonly waitReady: Promise<void>;
  private readonly worker: Worker;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private readonly pipelined: Uint8Array[] = [];
  private failure: Error | null = null;
  private closing: Promise<void> | null = null;
  private ended = false;

  /** `onExit` hears of a worker that ended other than by `close()`. */
  constructor(data: PgliteWorkerData, onExit?: (error: Error) => void) {
    this.worker = startWorker(data);
    this.waitReady = new Promise<void>((resolve, reject) => {
      this.pending.set(0, { resolve: () => resolve(), reject });
    });
    // Callers that never await waitReady must not see an unhandled rejection; those that do see it.
    this.waitReady.catch(() => undefined);
    this.worker.on('message', (reply: PgliteWorkerReply) => {
      const pending = this.pending.get(reply.id);
      if (!pending) return;
      this.pending.delete(reply.id);
      if (this.pending.size === 0) this.worker.unref();
      if (reply.ok) pending.resolve(reply);
      else pending.reject(Object.assign(new Error(reply.error.message), reply.error.stack ? { stack: reply.error.stack } : {}));
    });
    this.worker.on('error', (error) => this.fail(new Error(`the PGlite worker failed: ${error.message}`, { cause: error })));
    this.worker.on('exit', (code) => {
      this.ended = true;
      const unexpected = !this.closing;
      this.fail(new Error(`the PGlite worker exited (code ${code})`));
      if (unexpected) onExit?.(this.failure!);
    });
  }

  get closed(): boolean {
    return this.closing !== null || this.failure !== null;
  }

  /** PGlite's signature; errors are returned as messages (the adapter passes throwOnError: false). */
  async execProtocolStream(message: Uint8Array, _options?: { throwOnError?: boolean }): Promise<BackendMessage[]> {
    // pg writes an extended query's Parse, Bind, Describe, Execute and Sync at once, as to a
    // socket, and reads the replies as they come: they go to the worker together, in one trip.
    const type = message[0];
    if (PIPELINED.has(type)) {
      this.pipelined.push(new Uint8Array(message));
      return [];
    }
    if (this.pipelined.length > 0 && !ENDS_PIPELINE.has(type)) return [...(await this.exec([])), ...(await this.exec([message]))];
    return this.exec([message]);
  }

  private async exec(trailing: Uint8Array[]): Promise<BackendMessage[]> {
    const parts = [...this.pipelined.splice(0), ...trailing];
    if (parts.length === 0) return [];
    // A copy of its own for the worker: pg's serializer may hand out a view of a buffer it reuses.
    const bytes = new Uint8Array(parts.reduce((length, part) => length + part.length, 0));
    let offset = 0;
    for (const part of parts) {
      bytes.set(part, offset);
      offset += part.length;
    }
    const reply = await this.request({ id: this.nextId++, op: 'exec', bytes }, [bytes.buffer]);
    const messages: BackendMessage[] = [];
    if (reply.bytes && reply.bytes.length > 0) {
      // A reply holds whole messages, so a parser per reply keeps nothing between them.
      new Parser().parse(Buffer.from(reply.bytes.buffer, reply.bytes.byteOffset, reply.bytes.byteLength), (parsed) => messages.push(parsed));
    }
    return messages;
  }

  /** Closes PGlite in the worker (flushing it to its data directory), then ends the worker. */
  close(): Promise<void> {
    return (this.closing ??= (async () => {
      try {
        if (!this.failure) await this.request({ id: this.nextId++, op: 'close' });
      } finally {
        if (!this.ended) await this.worker.terminate();
      }
    })());
  }

  private request(request: PgliteWorkerRequest, transfer: ArrayBuffer[] = []): Promise<PgliteWorkerReply & { ok: true }> {
    if (this.failure) return Promise.reject(this.failure);
    if (this.closing && request.op !== 'close') return Promise.reject(new Error('PGlite is closed'));
    return new Promise((resolve, reject) => {
      this.pending.set(request.id, { resolve, reject });
      this.worker.ref();
      this.worker.postMessage(request, transfer);
    });
  }

  private fail(error: Error): void {
    this.failure ??= error;
    const pending = [...this.pending.values()];
    this.pending.clear();
    for (const { reject } of pending) reject(this.failure);
  }
}
