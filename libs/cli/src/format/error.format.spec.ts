import { UnreachableError, UsageError } from '../cli.errors';
import { ApiError } from '../http/api-error';
import { describeError } from './error.format';

describe('error lines', () => {
  it('print the problem\'s title, detail and every offending field', () => {
    const error = new ApiError(400, 'Bad Request', { title: 'Bad Request', detail: 'The job is not valid.', errors: [{ field: 'operations[0].name', message: 'is not in the template' }, { field: 'deviceSet', message: 'is unknown' }] }, true);
    expect(describeError(error)).toEqual(['fleetjobs: Bad Request (400): The job is not valid.', '  operations[0].name: is not in the template', '  deviceSet: is unknown']);
  });

  it('say how many fields the answer did not list', () => {
    const error = new ApiError(400, 'Bad Request', { title: 'Bad Request', detail: 'x', errors: [{ field: 'devices[0].id', message: 'bad' }], errorCount: 5 }, true);
    expect(describeError(error)).toContain('  … and 4 more');
  });

  it('fall back to the HTTP status when the body is no problem document', () => {
    expect(describeError(new ApiError(502, 'Bad Gateway', null, true))).toEqual(['fleetjobs: Bad Gateway (502)']);
  });

  it('explain a 401 without a token: where to give one and where to get one', () => {
    const lines = describeError(new ApiError(401, 'Unauthorized', { title: 'Unauthorized', detail: 'no credentials', errors: [{ field: 'authorization', message: 'is missing' }] }, false));
    expect(lines[1]).toBe('  authorization: is missing');
    expect(lines[2]).toMatch(/^No token was given.*--token <token> or FLEETJOBS_TOKEN.*POST \/api\/tokens/);
  });

  it('explain a 401 with a token as a refused token', () => {
    expect(describeError(new ApiError(401, 'Unauthorized', null, true)).at(-1)).toMatch(/^The API refused the token \(401\)/);
  });

  it('explain a 403 as a role too low', () => {
    const lines = describeError(new ApiError(403, 'Forbidden', { title: 'Forbidden', detail: 'this needs the operator role; ci has the viewer role' }, true));
    expect(lines[0]).toBe('fleetjobs: Forbidden (403): this needs the operator role; ci has the viewer role');
    expect(lines.at(-1)).toMatch(/its role may not do this \(403\)/);
  });

  it('say when to retry a throttled request', () => {
    expect(describeError(new ApiError(429, 'Too Many Requests', { title: 'Too Many Requests', detail: 'slow down' }, true, 3)).at(-1)).toBe('Try again in 3 s.');
  });

  it('name the flag of a usage error and the address of an unreachable API', () => {
    expect(describeError(new UsageError('--set', 'is required'))).toEqual(['fleetjobs: --set: is required']);
    expect(describeError(new UnreachableError('http://localhost:3000', 'ECONNREFUSED'))[0]).toBe('fleetjobs: cannot reach http://localhost:3000: ECONNREFUSED');
  });
});
