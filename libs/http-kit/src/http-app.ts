import { INestApplication } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { ProblemDetailsFilter } from './problems/problem-details.filter';
import { createValidationPipe } from './problems/validation.pipe';

/** Largest JSON body: a batch of 10,000 devices with modest tags fits. */
export const MAX_BODY = '16mb';

/**
 * Applies the HTTP conventions every Fleetjobs process shares: JSON bodies up to MAX_BODY,
 * class-validator at the edge, RFC 9457 problem documents for every error.
 * The app must be created with `{ bodyParser: false }`.
 */
export function configureHttpApp(app: INestApplication): void {
  const express = app as NestExpressApplication;
  express.useBodyParser('json', { limit: MAX_BODY, type: ['application/json', 'application/*+json'] });
  express.disable('x-powered-by');
  app.useGlobalFilters(new ProblemDetailsFilter());
  app.useGlobalPipes(createValidationPipe());
}
