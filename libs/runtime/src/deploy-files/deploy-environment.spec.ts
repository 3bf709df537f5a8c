import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { workspaceRoot } from '../runtime-config';
import { DEPLOYED_PROCESSES, DeployedProcess, SERVICE_ENVIRONMENT, variablesReadBy } from '../service-environment';
import { parseComposeFile } from './compose-file.schema';
import { KubernetesObject, parseManifest } from './kubernetes-objects.schema';

/**
 * SERVICE_ENVIRONMENT is the one list of the variables each process reads: docker-compose.yml and
 * deploy/k8s set only what their process reads, everything it needs, and credentials only from a
 * Secret; the code reads no variable the list does not name.
 */
const root = workspaceRoot(__dirname);
const CATALOGUE = 'libs/runtime/src/service-environment.ts';
// Reading every product source file takes a while on a busy machine.
jest.setTimeout(30_000);

interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: { secretKeyRef?: { name: string; key: string }; configMapKeyRef?: unknown };
}
interface Container {
  env?: EnvVar[];
  envFrom?: { configMapRef?: { name: string }; secretRef?: { name: string } }[];
}
const spec = (object: KubernetesObject) => object as unknown as { spec: { template: { spec: { containers: Container[] } } } };

const compose = parseComposeFile(readFileSync(join(root, 'docker-compose.yml'), 'utf8')) as { services: Record<string, { environment?: Record<string, unknown> }> };
const k8s = readdirSync(join(root, 'deploy', 'k8s'))
  .filter((file) => file.endsWith('.yaml'))
  .flatMap((file) => parseManifest(readFileSync(join(root, 'deploy', 'k8s', file), 'utf8')));
const find = (kind: string, name: string) => k8s.find((object) => object.kind === kind && object.metadata?.name === name);
const configMaps = new Map(k8s.filter((object) => object.kind === 'ConfigMap').map((object) => [object.metadata?.name, Object.keys((object.data as object) ?? {})]));
const secretKeys = (name: string) => Object.keys(((find('Secret', name)?.stringData ?? find('Secret', name)?.data) as object) ?? {});

const unread = (process: DeployedProcess, names: string[]) => names.filter((name) => !variablesReadBy(process).has(name));
const missing = (process: DeployedProcess, names: string[]) =>
  SERVICE_ENVIRONMENT.filter((variable) => variable.requiredBy?.includes(process) && !names.includes(variable.name)).map((variable) => variable.name);

describe(`the environment of each process (${CATALOGUE})`, () => {
  describe.each(DEPLOYED_PROCESSES.map((name) => ({ name })))('$name', ({ name }) => {
    it('docker-compose.yml sets only what it reads, and all it needs', () => {
      const names = Object.keys(compose.services[name]?.environment ?? {});
      expect({ unread: unread(name, names), missing: missing(name, names) }).toEqual({ unread: [], missing: [] });
    });

    it('deploy/k8s sets only what it reads, all it needs, and credentials from a Secret', () => {
      const deployment = find('Deployment', name);
      expect(deployment).toBeDefined();
      const [container] = spec(deployment as KubernetesObject).spec.template.spec.containers;
      const explicit = (container.env ?? []).map((variable) => variable.name);
      const shared = (container.envFrom ?? []).flatMap((source) => configMaps.get(source.configMapRef?.name) ?? []);
      const literalSecrets = (container.env ?? []).filter((variable) => variablesReadBy(name).get(variable.name)?.secret && !variable.valueFrom?.secretKeyRef);
      const danglingRefs = (container.env ?? [])
        .map((variable) => variable.valueFrom?.secretKeyRef)
        .filter((ref): ref is { name: string; key: string } => ref !== undefined && !secretKeys(ref.name).includes(ref.key));
      expect({
        unread: unread(name, explicit),
        missing: missing(name, [...explicit, ...shared]),
        literalSecrets: literalSecrets.map((variable) => variable.name),
        danglingRefs,
      }).toEqual({ unread: [], missing: [], literalSecrets: [], danglingRefs: [] });
    });
  });

  it('the shared ConfigMap holds only settings some process that loads it reads, and no credential', () => {
    const loaders = DEPLOYED_PROCESSES.filter((name) =>
      spec(find('Deployment', name) as KubernetesObject).spec.template.spec.containers.some((container) =>
        (container.envFrom ?? []).some((source) => source.configMapRef?.name === 'fleetjobs-config'),
      ),
    );
    const keys = configMaps.get('fleetjobs-config') ?? [];
    expect(keys.length).toBeGreaterThan(0);
    expect(keys.filter((key) => !loaders.some((name) => variablesReadBy(name).has(key)))).toEqual([]);
    expect(keys.filter((key) => SERVICE_ENVIRONMENT.find((variable) => variable.name === key)?.secret)).toEqual([]);
  });

  it('catches drift: an unknown variable, a missing one, a credential in plain text', () => {
    expect(unread('projection', ['KAFKA_BROKERS', 'HUB_CONNECTION_STRING'])).toEqual(['HUB_CONNECTION_STRING']);
    expect(missing('dispatcher', ['SERVICE', 'PORT', 'HOST', 'DATABASE_URL', 'KAFKA_BROKERS', 'HUB_CONNECTION_STRING'])).toEqual(['JOB_CONTROL_DATABASE_URL']);
    expect(variablesReadBy('job-command').get('FLEETJOBS_ADMIN_TOKEN')?.secret).toBe(true);
  });
});

/** Product code of the deployed processes: no tests, fixtures, test helpers, CLI or local launchers. */
function productFiles(directory: string): string[] {
  return readdirSync(directory).flatMap((entry) => {
    const path = join(directory, entry);
    if (statSync(path).isDirectory()) return ['testing', '__fixtures__', 'topology'].includes(entry) ? [] : productFiles(path);
    return /\.(ts|mjs)$/.test(entry) && !/\.(spec|int-spec|e2e-spec)\.ts$/.test(entry) ? [path] : [];
  });
}

/** The ways the code reads a variable: env('X', …), intFromEnv('X', …), any f(env, 'X'), process.env.X, env['X'], environment.X. */
const READS = /(?:FromEnv|whole|value|\benv)\(\s*'([A-Z][A-Z0-9_]+)'|\(\s*env,\s*'([A-Z][A-Z0-9_]+)'|process\.env(?:\.|\[')([A-Z][A-Z0-9_]+)|\benv(?:ironment)?(?:\.|\[')([A-Z][A-Z0-9_]+)/g;
const texts = new Map<string, string>();
const text = (file: string): string => texts.get(file) ?? texts.set(file, readFileSync(file, 'utf8')).get(file) ?? '';
const readsIn = (files: string[]) => new Set(files.flatMap((file) => [...text(file).matchAll(READS)].map((match) => match[1] ?? match[2] ?? match[3] ?? match[4])));
/** Read by a library only to start child processes or find programs, never a setting of a deployment. */
const OPERATING_SYSTEM = ['PATH'];

describe(`the code reads only variables ${CATALOGUE} names`, () => {
  const libraries = readdirSync(join(root, 'libs'))
    .filter((lib) => !['testing', 'cli'].includes(lib))
    .flatMap((lib) => productFiles(join(root, 'libs', lib, 'src')));
  const named = new Set(SERVICE_ENVIRONMENT.map((variable) => variable.name));

  it.each(DEPLOYED_PROCESSES.map((name) => ({ name })))('services/$name reads only variables listed for it', ({ name }) => {
    const reads = [...readsIn(productFiles(join(root, 'services', name, 'src')))];
    expect(reads.length).toBeGreaterThan(0);
    expect(reads.filter((variable) => !variablesReadBy(name).has(variable) && !OPERATING_SYSTEM.includes(variable))).toEqual([]);
  });

  it('the libraries read only listed variables', () => {
    const reads = [...readsIn(libraries)];
    expect(reads).toEqual(expect.arrayContaining(['KAFKA_BROKERS', 'DATABASE_URL', 'KAFKA_SSL_CA_FILE', 'OIDC_ISSUER']));
    expect(reads.filter((variable) => !named.has(variable) && !OPERATING_SYSTEM.includes(variable))).toEqual([]);
  });

  it('every listed variable is read somewhere in the code of the processes listed for it, or by the image', () => {
    const image = [join(root, 'deploy', 'docker', 'Dockerfile'), ...productFiles(join(root, 'deploy', 'docker'))];
    const stale = SERVICE_ENVIRONMENT.filter((variable) => {
      const files = [...libraries, ...image, ...variable.readBy.flatMap((name) => productFiles(join(root, 'services', name, 'src')))];
      return !files.some((file) => new RegExp(`\\b${variable.name}\\b`).test(text(file)));
    });
    expect(stale.map((variable) => `${variable.name} (${variable.readBy.join(', ')})`)).toEqual([]);
  });
});
