import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { OPENAPI_ROUTE, readOpenApiDocument } from './openapi-document';

/** `GET /api/jobs/{id}`-style keys of every operation the document describes. */
function documentedOperations(yaml: string): Set<string> {
  const operations = new Set<string>();
  const paths = yaml.slice(yaml.indexOf('\npaths:\n'), yaml.indexOf('\ncomponents:\n'));
  let path: string | null = null;
  for (const line of paths.split('\n')) {
    const pathMatch = /^ {2}(\/\S+):$/.exec(line);
    if (pathMatch) path = pathMatch[1];
    const methodMatch = /^ {4}(get|put|post|delete|patch):$/.exec(line);
    if (methodMatch && path) operations.add(`${methodMatch[1].toUpperCase()} ${path}`);
  }
  return operations;
}

function* controllerFiles(directory: string): Generator<string> {
  for (const entry of readdirSync(directory, { withFileTypes: true })) {
    const path = join(directory, entry.name);
    if (entry.isDirectory() && entry.name !== 'node_modules') yield* controllerFiles(path);
    else if (entry.name.endsWith('.http.controller.ts')) yield path;
  }
}

/** The public routes the services' Nest controllers declare (`@Controller('api/…')` + `@Get(':id')`). */
function servedOperations(servicesDirectory: string): Map<string, string> {
  const operations = new Map<string, string>();
  for (const file of controllerFiles(servicesDirectory)) {
    const source = readFileSync(file, 'utf8');
    const prefix = /@Controller\(\s*'([^']*)'\s*\)/.exec(source)?.[1] ?? '';
    for (const match of source.matchAll(/@(Get|Put|Post|Delete|Patch)\(\s*(?:'([^']*)')?\s*\)/g)) {
      const route = `/${[prefix, match[2] ?? ''].filter(Boolean).join('/')}`.replace(/:(\w+)/g, '{$1}');
      if (route.startsWith('/api/')) operations.set(`${match[1].toUpperCase()} ${route}`, relative(servicesDirectory, file));
    }
  }
  return operations;
}

/** The operations the generated client types (libs/contracts/src/generated/openapi.d.ts) describe: `paths` entries whose method is not `never`. */
function generatedOperations(types: string): Set<string> {
  const operations = new Set<string>();
  const paths = types.slice(types.indexOf('export interface paths {'), types.indexOf('\nexport type webhooks'));
  let path: string | null = null;
  for (const line of paths.split('\n')) {
    const pathMatch = /^ {4}"(\/\S+)": \{$/.exec(line);
    if (pathMatch) path = pathMatch[1];
    const methodMatch = /^ {8}(get|put|post|delete|patch): (?!never)/.exec(line);
    if (methodMatch && path) operations.add(`${methodMatch[1].toUpperCase()} ${path}`);
  }
  return operations;
}

/**
 * The operations a client's source calls with a literal path: `('POST', '/api/jobs')`,
 * `` ('GET', path`/api/jobs/${id}`) ``, and the dashboard's `this.get(`/api/jobs/${segment(id)}`)`,
 * `{…}` standing for each interpolated segment and the query left out.
 */
function calledOperations(source: string): Set<string> {
  const normalize = (path: string) => path.replace(/\$\{[^}]*\}/g, '{}').replace(/\?.*$/, '');
  const calls = [
    ...[...source.matchAll(/'(GET|PUT|POST|DELETE|PATCH)',\s*(?:path)?[`'](\/api\/[^`']*)[`']/g)].map((match) => [match[1], match[2]]),
    ...[...source.matchAll(/this\.(get|put|delete|post)\((?:withQuery\()?[`'](\/api\/[^`']*)[`']/g)].map((match) => [match[1].toUpperCase(), match[2]]),
    ...[...source.matchAll(/\.open\([`'](\/api\/[^`']*)[`']/g)].map((match) => ['GET', match[1]]),
  ];
  return new Set(calls.map(([method, path]) => `${method} ${normalize(path)}`));
}

const workspace = join(__dirname, '..', '..', '..', '..');
const document = readOpenApiDocument();

describe('readOpenApiDocument', () => {
  it('reads the OpenAPI 3.1 description from docs/openapi.yaml', () => {
    expect(document).toBe(readFileSync(join(workspace, 'docs', 'openapi.yaml'), 'utf8'));
    expect(document).toMatch(/^openapi: 3\.1\.\d+$/m);
  });
});

describe('docs/openapi.yaml against the services', () => {
  const documented = documentedOperations(document);
  // The services' controllers, and those of libraries that bring their own routes (access: tokens, /api/me).
  const served = new Map([...servedOperations(join(workspace, 'services')), ...servedOperations(join(workspace, 'libs', 'access'))]);

  it('finds the routes on both sides', () => {
    expect(served.size).toBeGreaterThanOrEqual(20);
    expect(documented.has('POST /api/jobs/{id}/stop')).toBe(true);
  });

  it('documents every public route a service serves', () => {
    const undocumented = [...served].filter(([operation]) => !documented.has(operation)).map(([op, file]) => `${op} (${file})`);
    expect(undocumented).toEqual([]);
  });

  it('the generated client types have exactly the documented operations, so a client typed by them calls only routes that are served', () => {
    const generated = generatedOperations(readFileSync(join(workspace, 'libs', 'contracts', 'src', 'generated', 'openapi.d.ts'), 'utf8'));
    expect(generated.has('POST /api/jobs/{id}/stop')).toBe(true);
    expect([...generated].sort()).toEqual([...documented].sort());
  });

  it.each([
    ['the dashboard', ['services/dashboard/src/api/fleetjobs-api.client.ts'], 20],
    ['the CLI', ['libs/cli/src/commands/jobs.commands.ts', 'libs/cli/src/commands/devices.commands.ts', 'libs/cli/src/commands/job-watch.command.ts', 'libs/cli/src/commands/job-actions.commands.ts', 'libs/cli/src/commands/schedules.commands.ts'], 14],
  ])('%s calls only documented operations', (_client, files, atLeast) => {
    const anyParameter = (operation: string) => operation.replace(/\{\w+\}/g, '{}');
    const known = new Set([...documented].map(anyParameter));
    const called = new Set(files.flatMap((file) => [...calledOperations(readFileSync(join(workspace, file), 'utf8'))]));
    expect(called.size).toBeGreaterThanOrEqual(atLeast);
    expect([...called].filter((operation) => !known.has(operation))).toEqual([]);
  });

  it('documents no route that nothing serves', () => {
    const unserved = [...documented].filter((operation) => !served.has(operation) && operation !== `GET ${OPENAPI_ROUTE}`);
    expect(unserved).toEqual([]);
  });
});
