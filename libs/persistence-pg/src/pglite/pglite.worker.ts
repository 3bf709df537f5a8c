import { PGlite } from '@electric-sql/pglite';
import type { uuid_ossp as UuidOsspExtension } from '@electric-sql/pglite/dist/contrib/uuid_ossp';
import { parentPort, workerData } from 'node:worker_threads';
import type { PgliteWorkerData, PgliteWorkerReply, PgliteWorkerRequest } from './pglite-worker.protocol';

// See pglite-data-source.ts: the package's subpath exports are only visible to Node's resolution.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { uuid_ossp } = require('@electric-sql/pglite/contrib/uuid_ossp') as { uuid_ossp: typeof UuidOsspExtension };

/**
 * The worker thread owning the process's PGlite: SQL runs here, on a core of its own, while the
 * main thread runs the services. It answers each protocol request with PostgreSQL's reply as raw
 * bytes, which the main thread parses like a socket's: errors arrive there as pg's own
 * DatabaseError, with every field, as they would from a server.
 */
const port = parentPort;
if (!port) throw new Error('pglite.worker runs as a worker thread');
const { dataDir, startParams } = workerData as PgliteWorkerData;

const reply = (message: PgliteWorkerReply, transfer: ArrayBuffer[] = []) => port.postMessage(message, transfer);
const describe = (error: unknown) => ({ message: error instanceof Error ? error.message : String(error), stack: error instanceof Error ? error.stack : undefined });

async function answer(pglite: PGlite, request: PgliteWorkerRequest): Promise<void> {
  if (request.op === 'close') {
    if (!pglite.closed) await pglite.close();
    reply({ id: request.id, ok: true });
    return;
  }
  // The chunks are views of PGlite's WebAssembly memory, reused by the next statement: copied out.
  const chunks: Uint8Array[] = [];
  let length = 0;
  await pglite.execProtocolRawStream(request.bytes, {
    onRawData: (chunk) => {
      chunks.push(chunk.slice());
      length += chunk.length;
    },
  });
  let bytes: Uint8Array;
  if (chunks.length === 1) bytes = chunks[0];
  else {
    bytes = new Uint8Array(length);
    let offset = 0;
    for (const chunk of chunks) {
      bytes.set(chunk, offset);
      offset += chunk.length;
    }
  }
  reply({ id: request.id, ok: true, bytes }, [bytes.buffer as ArrayBuffer]);
}

PGlite.create(dataDir, { extensions: { uuid_ossp }, startParams }).then(
  (pglite) => {
    // One request at a time, in the order sent: PGlite runs a single session.
    let queue = Promise.resolve();
    port.on('message', (request: PgliteWorkerRequest) => {
      queue = queue.then(() => answer(pglite, request).catch((error: unknown) => reply({ id: request.id, ok: false, error: describe(error) })));
    });
    reply({ id: 0, ok: true });
  },
  (error: unknown) => reply({ id: 0, ok: false, error: describe(error) }),
);
