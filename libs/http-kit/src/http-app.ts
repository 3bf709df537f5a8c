import { INestApplication } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { json, NextFunction, Request, Response } from 'express';
import { MAX_JOB_REQUEST_BODY_BYTES, MAX_REQUEST_BODY_BYTES } from '@fleetjobs/contracts';
import { bodyParserProblem, ProblemDetailsFilter } from './problems/problem-details.filter';
import { createValidationPipe } from './problems/validation.pipe';

/** Largest JSON body: a batch of 10,000 devices with modest tags fits. */
export const MAX_BODY = MAX_REQUEST_BODY_BYTES;

const JSON_TYPES = ['application/json', 'application/*+json'];

/**
 * Applies the HTTP conventions every Fleetjobs process shares: JSON bodies up to MAX_BODY (a job's less),
 * class-validator at the edge, RFC 9457 problem documents for every error.
 * The app must be created with `{ bodyParser: false }`.
 */
export function configureHttpApp(app: INestApplication): void {
  const expressApp = app as NestExpressApplication;
  expressApp.disable('x-powered-by');
  // A job's body is bounded tighter: the parser stops reading early, before any field is looked at.
  expressApp.use('/api/jobs', json({ limit: MAX_JOB_REQUEST_BODY_BYTES, type: JSON_TYPES }));
  expressApp.use(json({ limit: MAX_BODY, type: JSON_TYPES }));
  // Parser errors are answered here: past this point Nest would turn them into bare 400s.
  expressApp.use((error: unknown, request: Request, response: Response, next: NextFunction) => {
    const problem = bodyParserProblem(error, request.originalUrl);
    if (!problem) return next(error);
    response.status(problem.status).type('application/problem+json').send(JSON.stringify(problem));
  });
  app.useGlobalFilters(new ProblemDetailsFilter());
  app.useGlobalPipes(createValidationPipe());
}
