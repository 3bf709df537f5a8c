import type { FieldError } from './fleetjobs-api.types';

export type { FieldError };

/** An RFC 9457 problem document answered by the API, or a network failure (status 0). */
export class ApiProblem extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail: string,
    readonly errors: FieldError[] = [],
  ) {
    super(detail || title);
    this.name = 'ApiProblem';
  }
}

function isFieldError(value: unknown): value is FieldError {
  const candidate = value as FieldError;
  return typeof candidate?.field === 'string' && typeof candidate?.message === 'string';
}

/** Reads a failed response; bodies that are not problem documents still give a readable problem. */
export async function problemFromResponse(response: Response): Promise<ApiProblem> {
  const text = await response.text().catch(() => '');
  let body: Record<string, unknown> = {};
  try {
    const parsed: unknown = text ? JSON.parse(text) : {};
    if (parsed && typeof parsed === 'object') body = parsed as Record<string, unknown>;
  } catch {
    body = {};
  }
  const title = typeof body.title === 'string' ? body.title : response.statusText || `HTTP ${response.status}`;
  const detail = typeof body.detail === 'string' ? body.detail : '';
  const errors = Array.isArray(body.errors) ? body.errors.filter(isFieldError) : [];
  return new ApiProblem(response.status, title, detail, errors);
}

export function networkProblem(error: unknown): ApiProblem {
  const reason = error instanceof Error ? error.message : String(error);
  return new ApiProblem(0, 'Cannot reach the Fleetjobs API', reason);
}

export function asApiProblem(error: unknown): ApiProblem {
  return error instanceof ApiProblem ? error : networkProblem(error);
}
