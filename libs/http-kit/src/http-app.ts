import type { Server } from 'node:http';
import { INestApplication, Logger } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { NextFunction, Request, Response } from 'express';
import { MAX_JOB_REQUEST_BODY_BYTES, MAX_REQUEST_BODY_BYTES } from '@fleetjobs/contracts';
import { jsonBody, refuseReservedKeys } from './body/json-body';
import { bodyParserProblem, ProblemDetailsFilter, unreadableBodyProblem } from './problems/problem-details.filter';
import { problemInstance } from './problems/problem-instance';
import { createValidationPipe } from './problems/validation.pipe';
import { assignRequestId, bindRequestContext } from './request-context/request-context';

/** Largest JSON body: a batch of 10,000 devices with modest tags fits. */
export const MAX_BODY = MAX_REQUEST_BODY_BYTES;

/** A request's headers must have arrived this long after its connection opened (or its previous request ended)... */
export const HEADERS_TIMEOUT_MS = 10_000;
/** ...and its whole body this long after that. */
export const REQUEST_TIMEOUT_MS = 30_000;
/**
 * An idle keep-alive connection is closed this long after its last answer. With Node's 5 s a client
 * that reads the answer late (a starved machine) or times its idle connections coarsely could send its
 * next request just as the server closed the connection, and see ECONNRESET. Clients learn the time
 * from the Keep-Alive header and stop reusing a connection well before it.
 */
export const KEEP_ALIVE_TIMEOUT_MS = 65_000;
/** How often the server looks for connections past those times. */
const CONNECTION_CHECK_INTERVAL_MS = 1_000;

/**
 * Applies the HTTP conventions every Fleetjobs process shares: JSON bodies up to MAX_BODY (a job's less),
 * refused before parsing when nested too deep, class-validator at the edge, RFC 9457 problem
 * documents for every error, a request id on every request and its log lines, and time-outs for idle or slowly sending clients.
 * The app must be created with `{ bodyParser: false }`.
 */
export function configureHttpApp(app: INestApplication): void {
  const expressApp = app as NestExpressApplication;
  expressApp.disable('x-powered-by');
  applyServerTimeouts(app.getHttpServer() as Server);
  expressApp.use(requestIds());
  // A job's body is bounded tighter: the parser stops reading early, before any field is looked at.
  expressApp.use('/api/jobs', jsonBody(MAX_JOB_REQUEST_BODY_BYTES));
  expressApp.use(jsonBody(MAX_BODY));
  expressApp.use(refuseReservedKeys);
  expressApp.use(bindRequestContext);
  // Errors of reading and parsing the body are answered here: past this point Nest would turn them into bare 400s or 500s.
  expressApp.use((error: unknown, request: Request, response: Response, next: NextFunction) => {
    const problem = bodyParserProblem(error, problemInstance(request.originalUrl)) ?? unreadableBodyProblem(error, problemInstance(request.originalUrl));
    if (!problem) return next(error);
    response.status(problem.status).type('application/problem+json').send(JSON.stringify(problem));
  });
  app.useGlobalFilters(new ProblemDetailsFilter());
  app.useGlobalPipes(createValidationPipe());
}

/**
 * The request id and access log of a Nest process. A process that authenticates before
 * `configureHttpApp` uses it first, so that refused requests get an id and a log line too.
 */
export function requestIds(): ReturnType<typeof assignRequestId> {
  const accessLog = new Logger('http');
  return assignRequestId((line) => accessLog.log({ msg: 'answered', ...line }));
}

/**
 * A client that sends its headers or body too slowly, or opens a connection and sends nothing, is
 * cut off instead of holding a socket for minutes. Answers are not bounded: a live stream stays
 * open. Must be called before the server listens.
 */
export function applyServerTimeouts(server: Server): void {
  server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
  server.headersTimeout = HEADERS_TIMEOUT_MS;
  server.requestTimeout = REQUEST_TIMEOUT_MS;
  // Read when the server starts listening: Node's default looks only every 30 s.
  (server as Server & { connectionsCheckingInterval: number }).connectionsCheckingInterval = CONNECTION_CHECK_INTERVAL_MS;
}
