import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { dirname, join } from 'node:path';

/** Where the public REST API is described, relative to the workspace root. */
export const OPENAPI_DOCUMENT_PATH = join('docs', 'openapi.yaml');

/** Path the description is served on. */
export const OPENAPI_ROUTE = '/api/openapi.yaml';

/** The folder holding nx.json above `from`, whether running from source or from dist/. */
function workspaceRootAbove(from: string): string {
  for (let directory = from; ; directory = dirname(directory)) {
    if (existsSync(join(directory, 'nx.json'))) return directory;
    if (dirname(directory) === directory) throw new Error(`no workspace root (nx.json) above ${from}`);
  }
}

/** The OpenAPI 3.1 description of the REST API (`docs/openapi.yaml`), as YAML text. */
export function readOpenApiDocument(): string {
  return readFileSync(join(workspaceRootAbove(__dirname), OPENAPI_DOCUMENT_PATH), 'utf8');
}

let served: { body: Buffer; etag: string } | undefined;

function problem(res: ServerResponse, status: number, title: string, detail: string): void {
  res.statusCode = status;
  res.setHeader('Content-Type', 'application/problem+json');
  res.end(JSON.stringify({ type: 'about:blank', title, status, detail, instance: OPENAPI_ROUTE }));
}

/**
 * Answers `GET /api/openapi.yaml` with the API description (`application/yaml`). Works as an
 * Express handler or a plain Node one; the document is read once, then kept.
 */
export function openApiHandler(req: IncomingMessage, res: ServerResponse): void {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.setHeader('Allow', 'GET, HEAD');
    return problem(res, 405, 'Method not allowed', `${OPENAPI_ROUTE} answers GET only.`);
  }
  if (!served) {
    try {
      const body = Buffer.from(readOpenApiDocument(), 'utf8');
      served = { body, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"` };
    } catch {
      return problem(res, 503, 'API description unavailable', `${OPENAPI_DOCUMENT_PATH} is not part of this deployment.`);
    }
  }
  res.setHeader('ETag', served.etag);
  res.setHeader('Cache-Control', 'no-cache');
  if (req.headers['if-none-match'] === served.etag) {
    res.statusCode = 304;
    return void res.end();
  }
  res.statusCode = 200;
  res.setHeader('Content-Type', 'application/yaml; charset=utf-8');
  res.setHeader('Content-Length', served.body.length);
  res.end(req.method === 'HEAD' ? undefined : served.body);
}
