import { AsyncLocalStorage } from 'node:async_hooks';
import type { ClientRequest } from 'node:http';
import type { Socket } from 'node:net';
import { TLSSocket } from 'node:tls';

/**
 * The last word on one request that may change a device, asked when its bytes are about to
 * leave: on a connection already open, as the request takes it; on a new one, once it is open
 * (TLS handshake done), since until then the bytes wait in this process however long that takes.
 */
export interface SendGuard {
  /** Throws to hold the request back: it is never sent, and fails with what was thrown. */
  check(): void;
  /** What `check` threw, once it did. */
  refusal?: unknown;
}

/** A request held back by its guard: the socket is closed before any of the request's bytes were written. */
export class HeldBackError extends Error {
  constructor() {
    super('the request was held back before it was sent');
  }
}

const guards = new AsyncLocalStorage<SendGuard>();
/** Connections still opening: a guarded request on one of them waits for it to open. */
const opening = new WeakSet<Socket>();

const openEvent = (socket: Socket) => (socket instanceof TLSSocket ? 'secureConnect' : 'connect');

/** Runs `call`, every request it makes guarded by `guard`. */
export function sendGuarded<T>(guard: SendGuard, call: () => Promise<T>): Promise<T> {
  return guards.run(guard, call);
}

/** For the agent, on each connection it creates. */
export function trackOpening(socket: Socket): void {
  opening.add(socket);
  socket.once(openEvent(socket), () => opening.delete(socket));
}

/** For the agent, on each request it is given: called in the request's own async context. */
export function guardRequest(request: ClientRequest): void {
  const guard = guards.getStore();
  // The request is handed its socket on a later tick, and writes what it has buffered right after.
  if (guard) request.once('socket', (socket: Socket) => holdUntilOpen(socket, guard));
}

function holdUntilOpen(socket: Socket, guard: SendGuard): void {
  if (!opening.has(socket)) {
    if (!allows(guard)) socket.destroy(new HeldBackError());
    return;
  }
  // Corked, the request's bytes stay in this process while the handshake goes on beneath.
  socket.cork();
  socket.once(openEvent(socket), () => {
    if (allows(guard)) socket.uncork();
    else socket.destroy(new HeldBackError());
  });
}

function allows(guard: SendGuard): boolean {
  try {
    guard.check();
    return true;
  } catch (error) {
    guard.refusal = error;
    return false;
  }
}
