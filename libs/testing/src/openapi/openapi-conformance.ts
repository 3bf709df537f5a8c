import Ajv2020, { ErrorObject, ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';

/** One answer of the API as a client saw it. */
export interface ObservedExchange {
  method: string;
  /** The path as requested, query included (`/api/jobs?status=done`). */
  url: string;
  status: number;
  /** The `Content-Type` header, or null when none was sent. */
  contentType: string | null;
  /** The body as text ('' when there was none). */
  body: string;
}

/** An OpenAPI 3.1 document as parsed from YAML or JSON, `$ref`s left in place. */
export type OpenApiDocument = Record<string, any>;

const DOCUMENT_ID = 'urn:fleetjobs:openapi';
/** Bodies checked as JSON against their schema; others (CSV, NDJSON, event streams, YAML) by status and type only. */
const JSON_MEDIA_TYPE = /^application\/(?:[\w.+-]+\+)?json$/;

interface Template {
  path: string;
  pattern: RegExp;
  /** Literal segments weigh more: `/api/devices/batch` wins over `/api/devices/{id}`. */
  literals: number;
  item: Record<string, any>;
}

function escapePointer(token: string): string {
  return token.replace(/~/g, '~0').replace(/\//g, '~1');
}

function describeErrors(errors: ErrorObject[] | null | undefined): string {
  return (errors ?? []).map((error) => `${error.instancePath || '(body)'} ${error.message}${error.params ? ` ${JSON.stringify(error.params)}` : ''}`).join('; ');
}

/**
 * Whether a live answer is one the OpenAPI document describes: its operation (method and path
 * template), its status (exact, `4XX` or `default`), its content type, and — for JSON — its body
 * against the response schema (JSON Schema 2020-12, the dialect of OpenAPI 3.1). Pure: the
 * document comes in as data.
 */
export class OpenApiConformance {
  private readonly ajv: Ajv2020;
  private readonly templates: Template[];
  private readonly validators = new Map<string, ValidateFunction>();

  constructor(private readonly document: OpenApiDocument) {
    if (!/^3\.1\./.test(String(document.openapi))) throw new Error(`OpenApiConformance reads OpenAPI 3.1 documents, not ${document.openapi}`);
    this.ajv = new Ajv2020({ allErrors: true, strict: true, strictTypes: false, strictRequired: false, validateSchema: false });
    addFormats(this.ajv);
    // Schema keywords OpenAPI 3.1 adds to JSON Schema: annotations, nothing to validate.
    this.ajv.addVocabulary(['example', 'discriminator', 'xml', 'externalDocs']);
    // The document is registered whole, so that schemas are compiled where they sit and their `$ref`s resolve;
    // its own members are not schema keywords.
    this.ajv.addVocabulary(['openapi', 'info', 'jsonSchemaDialect', 'servers', 'paths', 'webhooks', 'components', 'security', 'tags']);
    this.ajv.addSchema(document, DOCUMENT_ID);
    this.templates = Object.entries<Record<string, any>>(document.paths ?? {}).map(([path, item]) => ({
      path,
      pattern: new RegExp(`^${path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}/]+\}/g, '[^/]+')}$`),
      literals: path.split('/').filter((segment) => segment && !segment.includes('{')).length,
      item,
    }));
  }

  /** What is wrong with the answer, one sentence each; empty when it is as documented. */
  check(exchange: ObservedExchange): string[] {
    const path = exchange.url.split(/[?#]/, 1)[0];
    const method = exchange.method.toLowerCase();
    const matching = this.templates.filter((template) => template.pattern.test(path)).sort((a, b) => b.literals - a.literals);
    if (matching.length === 0) return [`${path} matches no path of the document`];
    const template = matching.find((candidate) => candidate.item[method]);
    if (!template) return [`${exchange.method.toUpperCase()} is not documented for ${matching[0].path}`];
    const operation = template.item[method];
    const statuses = Object.keys(operation.responses ?? {});
    const key = [String(exchange.status), `${String(exchange.status)[0]}XX`, 'default'].find((candidate) => statuses.some((status) => status.toUpperCase() === candidate.toUpperCase()));
    if (!key) return [`status ${exchange.status} is not documented (documented: ${statuses.join(', ')})`];
    const documentedKey = statuses.find((status) => status.toUpperCase() === key.toUpperCase())!;
    const pointer = `#/paths/${escapePointer(template.path)}/${method}/responses/${escapePointer(documentedKey)}`;
    const [response, responsePointer] = this.resolve(operation.responses[documentedKey], pointer);
    return this.checkContent(exchange, response.content ?? {}, `${responsePointer}/content`);
  }

  /** Compiles the schema of every JSON answer the document describes, so a schema ajv cannot read fails at once; how many. */
  compileAll(): number {
    let count = 0;
    for (const template of this.templates) {
      for (const [method, operation] of Object.entries<any>(template.item)) {
        for (const status of Object.keys(operation?.responses ?? {})) {
          const [response, pointer] = this.resolve(operation.responses[status], `#/paths/${escapePointer(template.path)}/${method}/responses/${escapePointer(status)}`);
          for (const mediaType of Object.keys(response.content ?? {}).filter((type) => JSON_MEDIA_TYPE.test(type))) {
            const [media, mediaPointer] = this.resolve(response.content[mediaType], `${pointer}/content/${escapePointer(mediaType)}`);
            if (media.schema) this.validator(`${mediaPointer}/schema`);
            count += media.schema ? 1 : 0;
          }
        }
      }
    }
    return count;
  }

  private checkContent(exchange: ObservedExchange, content: Record<string, any>, pointer: string): string[] {
    const mediaTypes = Object.keys(content);
    const mediaType = exchange.contentType?.split(';')[0].trim().toLowerCase() ?? null;
    if (mediaTypes.length === 0) {
      return exchange.body === '' || exchange.method.toUpperCase() === 'HEAD' ? [] : [`status ${exchange.status} documents no body, but one came (${mediaType ?? 'no content type'})`];
    }
    if (!mediaType) return [`no content type; documented: ${mediaTypes.join(', ')}`];
    const documented = mediaTypes.find((candidate) => matchesRange(mediaType, candidate.toLowerCase()));
    if (!documented) return [`content type ${mediaType} is not documented (documented: ${mediaTypes.join(', ')})`];
    if (!JSON_MEDIA_TYPE.test(mediaType) || exchange.method.toUpperCase() === 'HEAD') return [];
    const [media, mediaPointer] = this.resolve(content[documented], `${pointer}/${escapePointer(documented)}`);
    if (!media.schema) return [];
    let body: unknown;
    try {
      body = JSON.parse(exchange.body);
    } catch {
      return [`the ${mediaType} body is not JSON: ${exchange.body.slice(0, 200)}`];
    }
    const validate = this.validator(`${mediaPointer}/schema`);
    return validate(body) ? [] : [`the body does not match the schema: ${describeErrors(validate.errors)}`];
  }

  /** Follows local `$ref`s of responses and media types, returning the object and where it sits. */
  private resolve(value: any, pointer: string): [Record<string, any>, string] {
    for (let hops = 0; value && typeof value.$ref === 'string'; hops += 1) {
      if (hops > 10 || !value.$ref.startsWith('#/')) throw new Error(`cannot follow ${value.$ref} at ${pointer}`);
      pointer = value.$ref;
      value = value.$ref
        .slice(2)
        .split('/')
        .map((token: string) => token.replace(/~1/g, '/').replace(/~0/g, '~'))
        .reduce((node: any, token: string) => node?.[token], this.document);
      if (value === undefined) throw new Error(`${pointer} is not in the document`);
    }
    return [value, pointer];
  }

  private validator(pointer: string): ValidateFunction {
    let validate = this.validators.get(pointer);
    if (!validate) {
      validate = this.ajv.compile({ $ref: `${DOCUMENT_ID}${pointer}` });
      this.validators.set(pointer, validate);
    }
    return validate;
  }
}

/** Whether a media type falls in a documented range (`application/json`, `text/*`, `*\/*`). */
function matchesRange(mediaType: string, range: string): boolean {
  if (range === '*/*' || range === mediaType) return true;
  return range.endsWith('/*') && mediaType.startsWith(range.slice(0, -1));
}
