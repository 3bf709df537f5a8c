import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';

export interface KubernetesObject {
  readonly apiVersion?: string;
  readonly kind?: string;
  readonly metadata?: { readonly name?: string; readonly namespace?: string };
  readonly [field: string]: unknown;
}

/** Every object of a multi-document manifest, empty documents (comments only) left out. */
export function parseManifest(text: string): KubernetesObject[] {
  return parseAllDocuments(text)
    .map((document) => {
      if (document.errors.length > 0) throw new Error(document.errors.map((error) => error.message).join('; '));
      return document.toJS() as KubernetesObject | null;
    })
    .filter((object): object is KubernetesObject => object !== null);
}

/**
 * Each object's errors against the Kubernetes OpenAPI schema of its apiVersion and kind
 * (kubernetes-models 5.1.0: Kubernetes 1.34 or later), in the order given; an empty list when valid.
 * Like kubeconform without -strict, a field the schema does not name is not an error.
 */
export function kubernetesSchemaErrors(objects: readonly KubernetesObject[]): string[][] {
  const output = execFileSync(process.execPath, [join(__dirname, 'kubernetes-validate.mjs')], {
    input: JSON.stringify(objects),
    encoding: 'utf8',
    maxBuffer: 16 * 1024 * 1024,
  });
  return JSON.parse(output) as string[][];
}

type Labels = Record<string, string>;
interface PodTemplate {
  metadata?: { labels?: Labels };
  spec?: { containers?: { ports?: { name?: string; containerPort?: number }[]; envFrom?: { configMapRef?: { name: string; optional?: boolean } }[] }[] };
}
const field = <T>(object: KubernetesObject, path: string[]): T | undefined =>
  path.reduce<unknown>((value, key) => (value && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined), object) as T | undefined;
const within = (selector: Labels | undefined, labels: Labels | undefined) =>
  !!selector && Object.keys(selector).length > 0 && Object.entries(selector).every(([key, value]) => labels?.[key] === value);

/**
 * What applies cleanly but does not work, which no schema sees: a Deployment whose selector misses
 * its own pods, a Service that selects no pods or names a port they do not have, a ConfigMap that
 * is not there, an autoscaler or an Ingress pointing at nothing.
 */
export function kubernetesReferenceErrors(objects: readonly KubernetesObject[]): string[] {
  const named = (kind: string, name: string | undefined) => objects.find((object) => object.kind === kind && object.metadata?.name === name);
  const deployments = objects.filter((object) => object.kind === 'Deployment');
  const template = (deployment: KubernetesObject) => field<PodTemplate>(deployment, ['spec', 'template']) ?? {};
  const errors: string[] = [];
  for (const deployment of deployments) {
    const name = deployment.metadata?.name;
    if (!within(field<Labels>(deployment, ['spec', 'selector', 'matchLabels']), template(deployment).metadata?.labels)) errors.push(`Deployment/${name} does not select its own pods`);
    for (const container of template(deployment).spec?.containers ?? []) {
      for (const source of container.envFrom ?? []) {
        if (source.configMapRef && !source.configMapRef.optional && !named('ConfigMap', source.configMapRef.name)) errors.push(`Deployment/${name} reads ConfigMap/${source.configMapRef.name}, which is not there`);
      }
    }
  }
  for (const service of objects.filter((object) => object.kind === 'Service')) {
    const pods = deployments.filter((deployment) => within(field<Labels>(service, ['spec', 'selector']), template(deployment).metadata?.labels));
    if (pods.length === 0) errors.push(`Service/${service.metadata?.name} selects no pods`);
    const ports = pods.flatMap((deployment) => (template(deployment).spec?.containers ?? []).flatMap((container) => container.ports ?? []));
    for (const port of field<{ targetPort?: string | number; port: number }[]>(service, ['spec', 'ports']) ?? []) {
      const target = port.targetPort ?? port.port;
      if (pods.length > 0 && !ports.some((candidate) => candidate.name === target || candidate.containerPort === target)) errors.push(`Service/${service.metadata?.name} targets port ${target}, which its pods do not have`);
    }
  }
  for (const autoscaler of objects.filter((object) => object.kind === 'HorizontalPodAutoscaler')) {
    const target = field<{ kind: string; name: string }>(autoscaler, ['spec', 'scaleTargetRef']);
    if (!target || !named(target.kind, target.name)) errors.push(`HorizontalPodAutoscaler/${autoscaler.metadata?.name} scales ${target?.kind}/${target?.name}, which is not there`);
  }
  for (const ingress of objects.filter((object) => object.kind === 'Ingress')) {
    const backends = (field<{ http?: { paths?: { backend?: { service?: { name: string; port?: { number?: number } } } }[] } }[]>(ingress, ['spec', 'rules']) ?? [])
      .flatMap((rule) => rule.http?.paths ?? [])
      .map((path) => path.backend?.service);
    for (const backend of backends) {
      const service = named('Service', backend?.name);
      const ports = field<{ port: number }[]>(service ?? { metadata: {} }, ['spec', 'ports']) ?? [];
      if (!service || !ports.some((port) => port.port === backend?.port?.number)) errors.push(`Ingress/${ingress.metadata?.name} sends to ${backend?.name}:${backend?.port?.number}, which no Service answers`);
    }
  }
  return errors;
}
