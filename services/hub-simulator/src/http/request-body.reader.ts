import { IncomingMessage } from 'node:http';

/** The body, or `too-large` once it exceeds `maxBytes` (what was sent beyond is not read). */
export function readBody(req: IncomingMessage, maxBytes: number): Promise<Buffer | 'too-large'> {
  const declared = Number(req.headers['content-length']);
  if (declared > maxBytes) return Promise.resolve('too-large');
  if (declared === 0 || (!req.headers['transfer-encoding'] && req.headers['content-length'] === undefined)) {
    return Promise.resolve(EMPTY);
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > maxBytes) {
        req.off('data', onData);
        req.pause();
        resolve('too-large');
        return;
      }
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.on('end', () => resolve(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** Whether the request's body is still unread, so the connection cannot be reused after an early answer. */
export function bodyLeftUnread(req: IncomingMessage): boolean {
  return !req.complete && (req.headers['content-length'] !== undefined || req.headers['transfer-encoding'] !== undefined);
}

const EMPTY = Buffer.alloc(0);
