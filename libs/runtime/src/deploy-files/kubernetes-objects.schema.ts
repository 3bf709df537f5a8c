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
