import { OpenApiConformance, ObservedExchange } from './openapi-conformance';
import { assertConformingAnswer, loadOpenApiConformance } from './openapi-conformance.loader';

const problemResponse = { description: 'A problem', content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } } };

const document = {
  openapi: '3.1.0',
  info: { title: 'Things', version: '1' },
  paths: {
    '/api/things': {
      get: {
        responses: {
          '200': {
            description: 'A page',
            content: { 'application/json': { schema: { type: 'object', required: ['value'], properties: { value: { type: 'array', items: { $ref: '#/components/schemas/Thing' } } } } } },
          },
          '4XX': { $ref: '#/components/responses/Problem' },
        },
      },
    },
    '/api/things/{id}': {
      get: {
        responses: {
          '200': { description: 'A thing', content: { 'application/json': { schema: { $ref: '#/components/schemas/Thing' } } } },
          default: problemResponse,
        },
      },
      delete: { responses: { '204': { description: 'Gone' } } },
    },
    '/api/things/export.csv': {
      get: { responses: { '200': { description: 'CSV', content: { 'text/csv': { schema: { type: 'string' } } } } } },
    },
    '/api/things/{id}/stream': {
      get: { responses: { '200': { description: 'Events', content: { 'text/*': { schema: { type: 'string' } } } } } },
    },
  },
  components: {
    responses: { Problem: problemResponse },
    schemas: {
      Thing: {
        type: 'object',
        required: ['id', 'note', 'at'],
        additionalProperties: false,
        properties: { id: { type: 'string' }, note: { type: ['string', 'null'], example: 'a note' }, at: { type: 'string', format: 'date-time' } },
      },
      Problem: { type: 'object', required: ['status', 'title'], properties: { status: { type: 'integer' }, title: { type: 'string' }, instance: { type: 'string' } } },
    },
  },
};

const thing = { id: 't-1', note: null, at: '2026-12-05T02:00:00.000Z' };

function answer(partial: Partial<ObservedExchange> & { json?: unknown }): ObservedExchange {
  const { json, ...rest } = partial;
  return { method: 'GET', url: '/api/things/t-1', status: 200, contentType: 'application/json; charset=utf-8', body: json === undefined ? '' : JSON.stringify(json), ...rest };
}

describe('OpenApiConformance', () => {
  const conformance = new OpenApiConformance(document);

  it('given an answer as documented, when checked, then nothing is wrong', () => {
    expect(conformance.check(answer({ json: thing }))).toEqual([]);
    expect(conformance.check(answer({ url: '/api/things?limit=5', json: { value: [thing, { ...thing, note: 'n' }] } }))).toEqual([]);
  });

  it('given a body off its schema, when checked, then the schema errors are named with their place', () => {
    const [violation] = conformance.check(answer({ json: { ...thing, note: 5, extra: true } }));
    expect(violation).toMatch(/does not match the schema/);
    expect(violation).toContain('/note must be string,null');
    expect(violation).toContain('must NOT have additional properties');
  });

  it('given a malformed date-time, when checked, then the format is enforced', () => {
    expect(conformance.check(answer({ json: { ...thing, at: 'yesterday' } }))[0]).toContain('/at must match format "date-time"');
  });

  it('given a status the operation does not document, when checked, then it is named with the documented ones', () => {
    expect(conformance.check(answer({ url: '/api/things/t-1', method: 'DELETE', status: 404, contentType: 'application/problem+json', json: { status: 404, title: 'Not found' } }))).toEqual([
      'status 404 is not documented (documented: 204)',
    ]);
  });

  it('given a 4xx answer, when the operation documents 4XX or default, then that response checks it', () => {
    expect(conformance.check(answer({ url: '/api/things', status: 400, contentType: 'application/problem+json', json: { status: 400, title: 'Invalid' } }))).toEqual([]);
    expect(conformance.check(answer({ status: 503, contentType: 'application/problem+json', json: { status: 503, title: 'Down' } }))).toEqual([]);
    expect(conformance.check(answer({ url: '/api/things', status: 400, contentType: 'application/problem+json', json: { status: '400' } }))[0]).toMatch(/must have required property 'title'/);
  });

  it('given another content type than documented, when checked, then it is refused', () => {
    expect(conformance.check(answer({ contentType: 'text/html', body: '<p>hi</p>' }))).toEqual(['content type text/html is not documented (documented: application/json)']);
    expect(conformance.check(answer({ status: 404, contentType: 'application/json', json: { status: 404, title: 'x' } }))[0]).toMatch(/content type application\/json is not documented/);
    expect(conformance.check(answer({ contentType: null, json: thing }))).toEqual(['no content type; documented: application/json']);
  });

  it('given a JSON type whose body is not JSON, when checked, then it is refused', () => {
    expect(conformance.check(answer({ body: 'not json' }))[0]).toMatch(/body is not JSON/);
  });

  it('given a body where none is documented, when checked, then it is refused; none is fine', () => {
    expect(conformance.check(answer({ method: 'DELETE', status: 204, contentType: null }))).toEqual([]);
    expect(conformance.check(answer({ method: 'DELETE', status: 204, json: { ok: true } }))[0]).toMatch(/documents no body/);
  });

  it('given a CSV or an event stream, when checked, then the status and the type (also by range) are, not the body', () => {
    expect(conformance.check(answer({ url: '/api/things/export.csv', contentType: 'text/csv; charset=utf-8', body: 'id\nt-1\n' }))).toEqual([]);
    expect(conformance.check(answer({ url: '/api/things/t-1/stream', contentType: 'text/event-stream', body: '' }))).toEqual([]);
    expect(conformance.check(answer({ url: '/api/things/export.csv', contentType: 'application/json', json: [] }))[0]).toMatch(/not documented/);
  });

  it('given a literal path and a template that both match, when checked, then the literal path is the operation', () => {
    expect(conformance.check(answer({ url: '/api/things/export.csv', json: thing }))[0]).toMatch(/content type application\/json/);
  });

  it('given a path or a method the document does not have, when checked, then it says so loudly', () => {
    expect(conformance.check(answer({ url: '/api/nothing/here' }))).toEqual(['/api/nothing/here matches no path of the document']);
    expect(conformance.check(answer({ method: 'PATCH' }))).toEqual(['PATCH is not documented for /api/things/{id}']);
  });

  it('given a document of OpenAPI 3.0, when built, then it refuses: its schemas are another dialect', () => {
    expect(() => new OpenApiConformance({ ...document, openapi: '3.0.3' })).toThrow(/3\.1/);
  });
});

describe('OpenApiConformance over docs/openapi.yaml', () => {
  let conformance: OpenApiConformance;
  beforeAll(async () => {
    conformance = await loadOpenApiConformance();
  });

  it('compiles every JSON response schema of the document', () => {
    const compiled = conformance.compileAll();
    expect(compiled).toBeGreaterThan(50);
  });

  it('accepts a documented problem and refuses one that breaks the Problem schema', () => {
    const problem = { type: 'about:blank', title: 'Not found', status: 404, detail: 'Job "x" does not exist.', instance: '/api/jobs/x' };
    const base = { method: 'GET', url: '/api/jobs/x', status: 404, contentType: 'application/problem+json' };
    expect(conformance.check({ ...base, body: JSON.stringify(problem) })).toEqual([]);
    expect(conformance.check({ ...base, body: JSON.stringify({ ...problem, status: 'not found' }) })[0]).toContain('/status must be integer');
  });

  it('refuses a job list whose items are not jobs', () => {
    const violations = conformance.check({ method: 'GET', url: '/api/jobs?limit=5', status: 200, contentType: 'application/json', body: JSON.stringify({ value: [{ id: 7 }], nextCursor: null }) });
    expect(violations[0]).toContain('/value/0');
  });
});

describe('assertConformingAnswer', () => {
  it('passes an answer as documented and throws for one that is not, naming method, path, status and what is wrong', async () => {
    const base = { method: 'GET', url: '/api/jobs/x?view=full', contentType: 'application/problem+json' };
    const problem = { type: 'about:blank', title: 'Not found', status: 404, detail: 'gone', instance: '/api/jobs/x' };
    await expect(assertConformingAnswer({ ...base, status: 404, body: JSON.stringify(problem) })).resolves.toBeUndefined();
    await expect(assertConformingAnswer({ ...base, status: 418, body: JSON.stringify(problem) })).rejects.toThrow(
      /^GET \/api\/jobs\/x\?view=full answered 418 \(application\/problem\+json\) unlike docs\/openapi.yaml: status 418 is not documented/,
    );
  });
});
