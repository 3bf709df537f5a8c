import { readOpenApiDocument } from '@fleetjobs/http-kit';
import { ROLES } from '@fleetjobs/contracts';
import { requiredRole, ROUTE_ROLES } from './route-roles';

interface DocumentedOperation {
  role: string | null;
  /** Whether the operation says `security: []` (no credentials). */
  open: boolean;
}

/** `GET /api/jobs/{id}` → its `x-fleetjobs-role` and whether it waives security, per operation of the document. */
function documentedOperations(yaml: string): Map<string, DocumentedOperation> {
  const operations = new Map<string, DocumentedOperation>();
  const paths = yaml.slice(yaml.indexOf('\npaths:\n'), yaml.indexOf('\ncomponents:\n'));
  let path: string | null = null;
  let current: DocumentedOperation | null = null;
  for (const line of paths.split('\n')) {
    const pathMatch = /^ {2}(\/\S+):$/.exec(line);
    if (pathMatch) {
      path = pathMatch[1];
      current = null;
    }
    const methodMatch = /^ {4}(get|put|post|delete|patch):$/.exec(line);
    if (methodMatch && path) {
      current = { role: null, open: false };
      operations.set(`${methodMatch[1].toUpperCase()} ${path}`, current);
    } else if (/^ {4}\S/.test(line)) {
      current = null;
    }
    const role = /^ {6}x-fleetjobs-role: (\S+)$/.exec(line);
    if (role && current) current.role = role[1].replace(/^'(.*)'$/, '$1');
    if (/^ {6}security: \[\]$/.test(line) && current) current.open = true;
  }
  return operations;
}

const documented = documentedOperations(readOpenApiDocument());
const table = new Map(ROUTE_ROLES.map((route) => [`${route.method} ${route.path}`, route.access]));

describe('the route table against docs/openapi.yaml', () => {
  it('finds operations on both sides', () => {
    expect(documented.size).toBeGreaterThanOrEqual(25);
    expect(documented.has('POST /api/jobs/{id}/stop')).toBe(true);
  });

  it('has an entry for every documented operation', () => {
    expect([...documented.keys()].filter((operation) => !table.has(operation))).toEqual([]);
  });

  it('has no entry for an operation the document does not describe', () => {
    expect([...table.keys()].filter((operation) => !documented.has(operation))).toEqual([]);
  });

  it('gives each operation the role its x-fleetjobs-role declares', () => {
    const differing = [...documented]
      .filter(([operation, { role }]) => table.has(operation) && role !== table.get(operation))
      .map(([operation, { role }]) => `${operation}: document ${role}, table ${table.get(operation)}`);
    expect(differing).toEqual([]);
  });

  it('waives credentials (security: []) exactly on the public operations', () => {
    const differing = [...documented]
      .filter(([operation, { open }]) => table.has(operation) && open !== (table.get(operation) === 'public'))
      .map(([operation]) => operation);
    expect(differing).toEqual([]);
  });

  it('names only known roles', () => {
    expect(ROUTE_ROLES.filter(({ access }) => access !== 'public' && !ROLES.includes(access))).toEqual([]);
  });
});

describe('requiredRole', () => {
  it('reads a route with a parameter', () => {
    expect(requiredRole('POST', '/api/jobs/fan-1/stop')).toBe('operator');
    expect(requiredRole('DELETE', '/api/tokens/abc')).toBe('administrator');
  });

  it('covers the exports of a job\'s devices, which share a segment with a file extension', () => {
    expect(requiredRole('GET', '/api/jobs/fan-1/devices.csv')).toBe('viewer');
    expect(requiredRole('GET', '/api/jobs/fan-1/devices.ndjson?status=failed')).toBe('viewer');
  });

  it('prefers a literal segment to a parameter', () => {
    expect(requiredRole('POST', '/api/devices/batch')).toBe('builder');
    expect(requiredRole('GET', '/api/devices/batch')).toBe('viewer');
  });

  it('treats HEAD as GET', () => {
    expect(requiredRole('HEAD', '/api/jobs')).toBe('viewer');
  });

  it('ignores the query', () => {
    expect(requiredRole('GET', '/api/jobs?limit=5&cursor=x')).toBe('viewer');
    expect(requiredRole('GET', '/api/auth/config?x=1')).toBe('public');
  });

  it.each([
    ['POST', '/api/jobs/'],
    ['POST', '/API/JOBS'],
    ['POST', '//api//jobs'],
    ['POST', '/api/%6Aobs'],
    ['post', '/api/jobs'],
  ])('reads %s %s as leniently as any router would (a role is needed)', (method, path) => {
    expect(requiredRole(method, path)).toBe('operator');
  });

  it('keeps an encoded slash inside its segment', () => {
    expect(requiredRole('POST', '/api/jobs/a%2Fb/stop')).toBe('operator');
  });

  it('knows nothing of paths outside the table', () => {
    expect(requiredRole('GET', '/health/ready')).toBeNull();
    expect(requiredRole('GET', '/')).toBeNull();
    expect(requiredRole('PATCH', '/api/jobs/x')).toBeNull();
    expect(requiredRole('GET', '/api/jobs/x/unknown')).toBeNull();
  });
});
