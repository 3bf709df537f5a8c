// Validates Kubernetes objects with kubernetes-models, whose validators are the Kubernetes OpenAPI
// schemas compiled with ajv. The package is ESM only, which Jest's CommonJS runtime cannot load:
// the spec runs this file with node. Reads a JSON array of objects on stdin; writes, for each,
// the list of its schema errors (an object of a kind with no model is an error too).
import { readFileSync } from 'node:fs';

const objects = JSON.parse(readFileSync(0, 'utf8'));
const results = [];
for (const object of objects) {
  const { apiVersion = '', kind = '' } = object ?? {};
  // The package's paths are the apiVersion and the kind: kubernetes-models/apps/v1/Deployment, kubernetes-models/v1/Service.
  let Model;
  if (/^([a-z0-9.-]+\/)?v[0-9a-z]+$/.test(apiVersion) && /^[A-Za-z0-9]+$/.test(kind)) {
    Model = await import(`kubernetes-models/${apiVersion}/${kind}`).then((module) => module[kind], () => undefined);
  }
  if (typeof Model !== 'function') {
    results.push([`no Kubernetes schema for apiVersion "${apiVersion}", kind "${kind}"`]);
    continue;
  }
  try {
    new Model(object).validate();
    results.push([]);
  } catch (error) {
    const errors = Array.isArray(error?.errors) ? error.errors : [{ instancePath: '', message: String(error?.message ?? error) }];
    results.push(errors.map((e) => `${e.instancePath || '/'} ${e.message}${e.params?.allowedValues ? ` (${e.params.allowedValues.join(', ')})` : ''}`));
  }
}
process.stdout.write(JSON.stringify(results));
