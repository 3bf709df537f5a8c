import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { BodyRefusal } from '../body/json-body';
import { classifyOutage } from './outage.classifier';
import { problemInstance } from './problem-instance';
import { FieldError, ProblemException, RETRY_AFTER_SECONDS, ServiceUnavailableProblem, TooManyRequestsProblem } from './problem.exception';

export interface ProblemDocument {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance: string;
  errors?: FieldError[];
  /** How many field errors were found, when there are more than `errors` lists. */
  errorCount?: number;
  /** Seconds to wait before retrying (503 and 429); sent as the `Retry-After` header, not in the body. */
  retryAfter?: number;
}

/** Errors the body parser raises before any controller runs. */
interface BodyParserError {
  type?: string;
  status?: number;
  message?: string;
}

/** Renders every error as an RFC 9457 `application/problem+json` document. */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger('Problem');

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<Request>();
    const response = http.getResponse<Response>();
    const { retryAfter, ...problem } = this.toProblem(exception, problemInstance(request.originalUrl ?? request.url));
    if (retryAfter !== undefined) {
      this.logger.warn(`${request.method} ${problem.instance} answered ${problem.status}: ${describe(exception)}`);
      response.setHeader('Retry-After', String(retryAfter));
    } else if (problem.status >= 500) {
      this.logger.error(exception instanceof Error ? exception.stack : String(exception));
    }
    response.status(problem.status).type('application/problem+json').send(JSON.stringify(problem));
  }

  private toProblem(exception: unknown, instance: string): ProblemDocument {
    const base = { type: 'about:blank', instance };
    if (exception instanceof ServiceUnavailableProblem) {
      return { ...base, status: 503, title: exception.title, detail: exception.detail, retryAfter: exception.retryAfterSeconds };
    }
    if (exception instanceof TooManyRequestsProblem) {
      return { ...base, status: 429, title: exception.title, ...listed(exception.detail, exception.errors), retryAfter: exception.retryAfterSeconds };
    }
    if (exception instanceof ProblemException) {
      return { ...exception.extensions, ...base, status: exception.getStatus(), title: exception.title, ...listed(exception.detail, exception.errors) };
    }
    const parserProblem = bodyParserProblem(exception, instance);
    if (parserProblem) return parserProblem;
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const body = exception.getResponse();
      const detail = typeof body === 'string' ? body : ((body as { message?: unknown }).message ?? exception.message);
      return { ...base, status, title: exception.name.replace(/Exception$/, ''), detail: Array.isArray(detail) ? detail.join('; ') : String(detail) };
    }
    const unreadable = unreadableBodyProblem(exception, instance);
    if (unreadable) return unreadable;
    const outage = classifyOutage(exception);
    if (outage) return { ...base, status: 503, title: 'Service Unavailable', detail: outage.detail, retryAfter: RETRY_AFTER_SECONDS };
    return { ...base, status: 500, title: 'Internal error', detail: 'The server failed to handle the request.' };
  }
}

/** Most field errors one answer lists: a body with thousands of bad elements still gets a short answer. */
export const MAX_LISTED_ERRORS = 20;

/** The detail and errors of a problem, listing the first MAX_LISTED_ERRORS errors and counting all. */
function listed(detail: string, errors: FieldError[]): Pick<ProblemDocument, 'detail' | 'errors' | 'errorCount'> {
  if (errors.length === 0) return { detail };
  if (errors.length <= MAX_LISTED_ERRORS) return { detail, errors };
  return {
    detail: `${detail} ${errors.length} errors were found; the first ${MAX_LISTED_ERRORS} are listed.`,
    errors: errors.slice(0, MAX_LISTED_ERRORS),
    errorCount: errors.length,
  };
}

/** The error and its causes in one log line (the log may name hosts; the answer never does). */
function describe(error: unknown): string {
  const parts: string[] = [];
  for (let link = error, depth = 0; link !== undefined && link !== null && depth < 4; depth++) {
    parts.push(link instanceof Error ? `${link.name}: ${link.message}` : String(link));
    link = (link as { cause?: unknown; driverError?: unknown }).cause ?? (link as { driverError?: unknown }).driverError;
  }
  return parts.join(' <- ');
}

/**
 * The problem for any other error that stopped the body from being read (a compressed body that
 * does not inflate, a length that does not match): the parser gives it a 4xx status and no type.
 */
export function unreadableBodyProblem(error: unknown, instance: string): ProblemDocument | null {
  const status = (error as BodyParserError)?.status;
  if (typeof status !== 'number' || status < 400 || status > 499) return null;
  const message = 'could not be read as sent';
  return { type: 'about:blank', instance, status, title: 'Unreadable body', detail: `The request body ${message}.`, errors: [{ field: 'body', message }] };
}

/** The problem for an error the JSON body parser raised, or null for any other error. */
export function bodyParserProblem(error: unknown, instance: string): ProblemDocument | null {
  const base = { type: 'about:blank', instance };
  const parserError = error as BodyParserError;
  if (error instanceof BodyRefusal) {
    const title = error.status === 415 ? 'Unsupported encoding' : 'Invalid request';
    return { ...base, status: error.status, title, detail: `The request body was refused: ${error.field} ${error.message}.`, errors: [{ field: error.field, message: error.message }] };
  }
  switch (parserError?.type) {
    case 'entity.parse.failed':
      return { ...base, status: 400, title: 'Malformed JSON', detail: 'The request body is not valid JSON.', errors: [{ field: 'body', message: 'must be valid JSON' }] };
    case 'entity.too.large':
      return { ...base, status: 413, title: 'Body too large', detail: 'The request body exceeds the size limit.', errors: [{ field: 'body', message: 'is too large' }] };
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return { ...base, status: 415, title: 'Unsupported encoding', detail: parserError.message ?? 'Unsupported body encoding.', errors: [{ field: 'body', message: 'has an unsupported encoding' }] };
    default:
      return null;
  }
}
