/**
 * A dependency a request needs (a peer service, the database, the event log) cannot answer now.
 * Adapters throw it; the problem filter answers 503 with `Retry-After`. `dependency` is a name a
 * caller may see (`device-set`, `database`); connection details stay in `cause`, which is logged only.
 */
export class DependencyUnavailableError extends Error {
  override readonly name = 'DependencyUnavailableError';

  constructor(
    readonly dependency: string,
    message: string,
    options: { cause?: unknown } = {},
  ) {
    super(message, options);
  }
}
