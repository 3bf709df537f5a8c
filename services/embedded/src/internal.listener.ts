import { createServer, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { NextFunction, Request, Response } from 'express';
import { problemInstance } from '@fleetjobs/http-kit';

/** Paths only the services themselves call on one another. */
const INTERNAL_PATH = /^\/internal(\/|$|\?)/;

/**
 * The listener the embedded process's services call one another on: loopback only, on a port of
 * its own, so that the internal endpoints are never on the public listener. It gets its request
 * handler once the app is built.
 */
export async function listenInternally(): Promise<{ server: Server; port: number }> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  return { server, port: (server.address() as AddressInfo).port };
}

/** Answers 404 to an internal path reached on any listener but the internal one. */
export function internalPathsOnlyOn(internalPort: number) {
  return (request: Request, response: Response, next: NextFunction): void => {
    if (!INTERNAL_PATH.test(request.originalUrl) || request.socket.localPort === internalPort) return next();
    response
      .status(404)
      .type('application/problem+json')
      .send(JSON.stringify({ type: 'about:blank', title: 'Not found', status: 404, detail: `Nothing is served at ${request.path}.`, instance: problemInstance(request.originalUrl) }));
  };
}
