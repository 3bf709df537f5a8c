import { UnreachableError, UsageError } from '../cli.errors';
import { ApiError } from '../http/api-error';

const TOKEN_HELP =
  'Give a token with --token <token> or FLEETJOBS_TOKEN: an API token (fjt_…) that an administrator makes ' +
  'with POST /api/tokens, or, after a first `npm start`, the one in DATA_DIR/initial-admin-token.';

/** The lines printed to stderr for an error: what went wrong, each offending field, and what to do. */
export function describeError(error: unknown): string[] {
  if (error instanceof ApiError) return describeApiError(error);
  if (error instanceof UsageError) return [`fleetjobs: ${error.message}`];
  if (error instanceof UnreachableError) {
    return [`fleetjobs: ${error.message}`, 'Is Fleetjobs running there? Set the address with --url <url> or FLEETJOBS_URL.'];
  }
  return [`fleetjobs: ${error instanceof Error ? error.message : String(error)}`];
}

function describeApiError(error: ApiError): string[] {
  const { status, problem } = error;
  const title = problem?.title || error.statusText || 'Error';
  const lines = [`fleetjobs: ${title} (${status})${problem?.detail ? `: ${problem.detail}` : ''}`];
  for (const { field, message } of problem?.errors ?? []) lines.push(`  ${field}: ${message}`);
  const listed = problem?.errors?.length ?? 0;
  if (problem?.errorCount && problem.errorCount > listed) lines.push(`  … and ${problem.errorCount - listed} more`);
  if (status === 401) {
    lines.push(
      error.tokenSent
        ? `The API refused the token (401): it is unknown, revoked, expired or not a Fleetjobs token. ${TOKEN_HELP}`
        : `No token was given, and the API needs one (401). ${TOKEN_HELP}`,
    );
  } else if (status === 403) {
    lines.push(
      "The token is valid but its role may not do this (403). Roles: viewer reads; operator also creates and stops jobs; " +
        'builder also manages templates, devices and sets; administrator also manages tokens. Ask an administrator for a token with the role named above.',
    );
  } else if (status === 429 || status === 503) {
    lines.push(`Try again${error.retryAfter ? ` in ${error.retryAfter} s` : ' later'}.`);
  }
  return lines;
}
