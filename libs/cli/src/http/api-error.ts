import type { ApiSchema } from '@fleetjobs/contracts';

/** One offending field of a problem document. */
export type ProblemField = ApiSchema<'FieldError'>;

/**
 * The RFC 9457 problem document the API answers errors with (the parts the CLI shows), each part
 * optional: a proxy in front of the API may answer an error body of its own.
 */
export type Problem = Partial<Pick<ApiSchema<'Problem'>, 'title' | 'detail' | 'errors' | 'errorCount'>>;

/** An answer of the API that is not a success. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly statusText: string,
    readonly problem: Problem | null,
    /** Whether the request carried a credential (explains a 401). */
    readonly tokenSent: boolean,
    /** Seconds from `Retry-After`, when the API sent one. */
    readonly retryAfter: number | null = null,
  ) {
    super(problem?.detail ?? `${status} ${statusText}`);
  }
}

/** The problem document of an error body, or null when the body is not one. */
export function parseProblem(body: string): Problem | null {
  try {
    const parsed = JSON.parse(body) as unknown;
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return null;
    const { title, detail, errors, errorCount } = parsed as Record<string, unknown>;
    return {
      title: typeof title === 'string' ? title : undefined,
      detail: typeof detail === 'string' ? detail : undefined,
      errors: Array.isArray(errors)
        ? errors.filter((e): e is ProblemField => !!e && typeof e.field === 'string').map((e) => ({ field: e.field, message: String(e.message ?? '') }))
        : undefined,
      errorCount: typeof errorCount === 'number' ? errorCount : undefined,
    };
  } catch {
    return null;
  }
}
