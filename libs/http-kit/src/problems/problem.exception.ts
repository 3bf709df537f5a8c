import { HttpException } from '@nestjs/common';

/** One offending field of a request, named by its path (`operations[0].value`, `body`, `id`). */
export interface FieldError {
  field: string;
  message: string;
}

/** An RFC 9457 problem raised deliberately by a handler; the filter renders it as is. */
export class ProblemException extends HttpException {
  constructor(
    status: number,
    readonly title: string,
    readonly detail: string,
    readonly errors: FieldError[] = [],
    /** Members the problem type adds to the document (RFC 9457 §3.2), e.g. the jobs a 409 names. */
    readonly extensions: Record<string, unknown> = {},
  ) {
    super({ title, detail, errors }, status);
  }
}

export class ValidationProblem extends ProblemException {
  constructor(errors: FieldError[], detail = 'The request has invalid fields.') {
    super(400, 'Invalid request', detail, errors);
  }
}

export class NotFoundProblem extends ProblemException {
  constructor(what: string, id: string) {
    super(404, 'Not found', `${what} "${id}" does not exist.`);
  }
}

export class ConflictProblem extends ProblemException {
  constructor(detail: string, errors: FieldError[] = [], extensions: Record<string, unknown> = {}) {
    super(409, 'Conflict', detail, errors, extensions);
  }
}

export class UnprocessableProblem extends ProblemException {
  constructor(errors: FieldError[], detail = 'The request cannot be carried out as it stands.') {
    super(422, 'Unprocessable request', detail, errors);
  }
}

/** Seconds a client is asked to wait before retrying a request that met an outage. */
export const RETRY_AFTER_SECONDS = 5;

/** 503: something the request needs is down; answered with `Retry-After`. */
export class ServiceUnavailableProblem extends ProblemException {
  constructor(
    detail: string,
    readonly retryAfterSeconds = RETRY_AFTER_SECONDS,
  ) {
    super(503, 'Service Unavailable', detail);
  }
}

/** 429: the request would pass a limit that frees up with time; answered with `Retry-After`. */
export class TooManyRequestsProblem extends ProblemException {
  constructor(
    detail: string,
    errors: FieldError[],
    readonly retryAfterSeconds: number,
  ) {
    super(429, 'Too Many Requests', detail, errors);
  }
}
