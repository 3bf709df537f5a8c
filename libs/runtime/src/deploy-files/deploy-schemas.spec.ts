import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { workspaceRoot } from '../runtime-config';
import { composeReferenceErrors, composeSchemaErrors } from './compose-file.schema';
import { kubernetesReferenceErrors, kubernetesSchemaErrors, parseManifest } from './kubernetes-objects.schema';

/** docker-compose.yml and every deploy/k8s manifest, checked against their own tools' schemas. */
const root = workspaceRoot(__dirname);
const k8sDirectory = join(root, 'deploy', 'k8s');
const KUSTOMIZATION = 'kustomization.yaml';
// Compiling the Compose schema and starting node for the Kubernetes validators take seconds on a busy machine.
jest.setTimeout(60_000);

const manifests = readdirSync(k8sDirectory).filter((file) => file.endsWith('.yaml') && file !== KUSTOMIZATION).sort();

describe('docker-compose.yml against the Compose Specification schema', () => {
  it('is valid', () => {
    expect(composeSchemaErrors(readFileSync(join(root, 'docker-compose.yml'), 'utf8'))).toEqual([]);
  });

  it('catches a broken file: a misspelt key, a count that is not a number, an unknown top-level entry', () => {
    const broken = readFileSync(join(root, 'docker-compose.yml'), 'utf8')
      .replace(/^ {4}healthcheck:$/m, '    helthcheck:')
      .replace(/^ {6}replicas: 2$/m, '      replicas: two')
      .concat('\nservice:\n  oops: {}\n');
    expect(composeSchemaErrors(broken)).toEqual(
      expect.arrayContaining([
        '/ must NOT have additional properties (service)',
        '/services/postgres must NOT have additional properties (helthcheck)',
        '/services/dispatcher/deploy/replicas must be integer',
      ]),
    );
  });

  it('refers only to services, volumes and files that exist, as docker compose config requires', () => {
    const inRepository = (path: string) => existsSync(join(root, path));
    const compose = readFileSync(join(root, 'docker-compose.yml'), 'utf8');
    expect(composeReferenceErrors(compose, inRepository)).toEqual([]);
    const broken = compose
      .replace(/^ {6}hub-simulator:\n {8}condition: service_healthy$/m, '      hub-simulatr:\n        condition: service_healthy')
      .replace('- kafka-data:/var/lib/kafka/data', '- kafka-logs:/var/lib/kafka/data')
      .replace('./deploy/docker/create-databases.sql:', './deploy/docker/create-database.sql:');
    expect(composeReferenceErrors(broken, inRepository)).toEqual(
      expect.arrayContaining([
        'device-set depends on hub-simulatr, which is no service',
        'kafka mounts the volume kafka-logs, which is not declared',
        'postgres mounts ./deploy/docker/create-database.sql, which does not exist',
      ]),
    );
    const unhealthy = 'services:\n  a:\n    image: x\n    depends_on:\n      b:\n        condition: service_healthy\n  b:\n    image: y\n';
    expect(composeReferenceErrors(unhealthy, inRepository)).toEqual(['a waits for b to be healthy, which has no health check']);
  });

  it('resolves YAML merge keys as Compose does, so the anchored settings are checked too', () => {
    const broken = readFileSync(join(root, 'docker-compose.yml'), 'utf8').replace(/^ {2}init: true$/m, '  init: sometimes');
    expect(composeSchemaErrors(broken)).toContain('/services/api-gateway/init must be boolean');
  });
});

describe('deploy/k8s against the Kubernetes OpenAPI schemas', () => {
  const objects = manifests.flatMap((file) => parseManifest(readFileSync(join(k8sDirectory, file), 'utf8')).map((object) => ({ file, object })));

  it('holds the objects the deployment needs', () => {
    const kinds = new Set(objects.map(({ object }) => object.kind));
    for (const kind of ['Namespace', 'ConfigMap', 'Secret', 'Deployment', 'Service', 'HorizontalPodAutoscaler', 'Ingress']) expect(kinds).toContain(kind);
  });

  it('every object of every manifest is valid for its apiVersion and kind', () => {
    const errors = kubernetesSchemaErrors(objects.map(({ object }) => object));
    const report = objects.map(({ file, object }, index) => ({ object: `${file}: ${object.kind}/${object.metadata?.name}`, errors: errors[index] }));
    expect(report.filter((entry) => entry.errors.length > 0)).toEqual([]);
    expect(report).toHaveLength(objects.length);
  });

  it('catches broken objects: a port that is not a number, a Deployment without its selector, a kind that does not exist', () => {
    const service = parseManifest(readFileSync(join(k8sDirectory, 'job-command.yaml'), 'utf8'));
    const text = JSON.stringify(service)
      .replace('"containerPort":3102', '"containerPort":"3102x"')
      .replace(/"selector":\{"matchLabels":\{"app.kubernetes.io\/name":"job-command"\}\},/, '');
    const [deployment] = JSON.parse(text) as typeof service;
    const [deploymentErrors, unknownErrors] = kubernetesSchemaErrors([deployment, { apiVersion: 'apps/v1', kind: 'Deploymnet', metadata: { name: 'x' } }]);
    expect(deploymentErrors).toEqual(
      expect.arrayContaining(['/spec must have required property selector', '/spec/template/spec/containers/0/ports/0/containerPort must be integer']),
    );
    expect(unknownErrors).toEqual(['no Kubernetes schema for apiVersion "apps/v1", kind "Deploymnet"']);
  });

  it('refers only to what is there: selectors, ports, the ConfigMap, the autoscaled Deployment, the Ingress backend', () => {
    const all = objects.map(({ object }) => object);
    expect(kubernetesReferenceErrors(all)).toEqual([]);
    const broken = JSON.parse(
      JSON.stringify(all)
        .replace('"selector":{"app.kubernetes.io/name":"projection"}', '"selector":{"app.kubernetes.io/name":"projecton"}')
        .replace('"port":3102,"targetPort":"http"', '"port":3102,"targetPort":"metrics"')
        .replace(/"scaleTargetRef":\{"apiVersion":"apps\/v1","kind":"Deployment","name":"dispatcher"\}/, '"scaleTargetRef":{"apiVersion":"apps/v1","kind":"Deployment","name":"dispatchers"}'),
    ) as typeof all;
    expect(kubernetesReferenceErrors(broken)).toEqual(
      expect.arrayContaining([
        'Service/projection selects no pods',
        'Service/job-command targets port metrics, which its pods do not have',
        'HorizontalPodAutoscaler/dispatcher scales Deployment/dispatchers, which is not there',
      ]),
    );
  });

  // kustomize publishes no schema that installs from the registries here (kubernetes-models has
  // none; kubeconform is a Go binary): the Kustomization is checked field by field instead.
  it('the Kustomization names exactly the manifests, in fields kustomize knows', () => {
    const [kustomization] = parseManifest(readFileSync(join(k8sDirectory, KUSTOMIZATION), 'utf8'));
    expect(kustomization.apiVersion).toBe('kustomize.config.k8s.io/v1beta1');
    expect(kustomization.kind).toBe('Kustomization');
    expect(Object.keys(kustomization).filter((key) => !['apiVersion', 'kind', 'namespace', 'resources', 'images', 'labels', 'commonLabels'].includes(key))).toEqual([]);
    expect([...(kustomization.resources as string[])].sort()).toEqual(manifests);
  });
});
