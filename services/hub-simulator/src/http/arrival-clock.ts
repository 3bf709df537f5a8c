import { AsyncLocalStorage } from 'node:async_hooks';

const arrivals = new AsyncLocalStorage<Date>();

/** Runs the handling of one request with the moment it arrived. */
export function whileHandlingArrival<T>(arrivedAt: Date, handle: () => T): T {
  return arrivals.run(arrivedAt, handle);
}

/**
 * When the request being handled arrived at the hub. The operation log records this rather than
 * when its transaction ran: on a busy machine a request can wait seconds for the database, and
 * "what reached the hub after a stop" is about arrival.
 */
export function arrivalOfCurrentRequest(): Date | null {
  return arrivals.getStore() ?? null;
}
