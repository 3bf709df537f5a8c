/** The HTTP header that carries a request's id from the edge through every internal call. */
export const REQUEST_ID_HEADER = 'x-request-id';

/**
 * What a caller may send as its own request id: up to 128 characters a log line, a header and a
 * CloudEvents attribute all carry unescaped (UUIDs, ULIDs, base64 ids…). Anything else is replaced
 * by an id of our own, never refused: a request id helps find the request, it decides nothing.
 */
const REQUEST_ID_PATTERN = /^[A-Za-z0-9._~:+/=-]{1,128}$/;

export function isValidRequestId(value: unknown): value is string {
  return typeof value === 'string' && REQUEST_ID_PATTERN.test(value);
}

/**
 * Where the id of the request being handled lives. Contracts also run in the browser, which has no
 * AsyncLocalStorage: Node processes install theirs (http-kit's request context), the browser keeps
 * this one, which knows of no request.
 */
export interface RequestContextStore {
  current(): string | undefined;
  run<T>(requestId: string | undefined, work: () => T): T;
}

let store: RequestContextStore = { current: () => undefined, run: (_requestId, work) => work() };

export function installRequestContextStore(installed: RequestContextStore): void {
  store = installed;
}

/** The id of the request (or of the event) being handled now, if any. */
export function currentRequestId(): string | undefined {
  return store.current();
}

/** Runs `work` (and everything it starts) as part of that request; `undefined` runs it as part of none. */
export function runWithRequestId<T>(requestId: string | undefined, work: () => T): T {
  return store.run(requestId, work);
}
