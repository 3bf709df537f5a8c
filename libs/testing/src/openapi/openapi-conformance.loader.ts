import SwaggerParser from '@apidevtools/swagger-parser';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { OPENAPI_DOCUMENT_PATH } from '@fleetjobs/http-kit';
import { ObservedExchange, OpenApiConformance, OpenApiDocument } from './openapi-conformance';

/** The workspace's docs/openapi.yaml, from the sources or from dist/. */
export function openApiDocumentFile(from = __dirname): string {
  for (let directory = from; dirname(directory) !== directory; directory = dirname(directory)) {
    if (existsSync(join(directory, 'nx.json'))) return join(directory, OPENAPI_DOCUMENT_PATH);
  }
  throw new Error(`no workspace root (nx.json) above ${from}`);
}

let loaded: Promise<OpenApiConformance> | undefined;

/** The checker for docs/openapi.yaml, read once per test process. */
export function loadOpenApiConformance(): Promise<OpenApiConformance> {
  loaded ??= SwaggerParser.parse(openApiDocumentFile()).then((document) => new OpenApiConformance(document as OpenApiDocument));
  return loaded;
}

/** Throws, naming the request and everything wrong, unless the answer is one docs/openapi.yaml describes. */
export async function assertConformingAnswer(exchange: ObservedExchange): Promise<void> {
  const violations = (await loadOpenApiConformance()).check(exchange);
  if (violations.length === 0) return;
  const body = exchange.body.length > 500 ? `${exchange.body.slice(0, 500)}…` : exchange.body;
  throw new Error(`${exchange.method.toUpperCase()} ${exchange.url} answered ${exchange.status} (${exchange.contentType ?? 'no content type'}) unlike docs/openapi.yaml: ${violations.join('; ')}\nbody: ${body}`);
}
