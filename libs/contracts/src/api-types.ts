import type { components, operations, paths } from './generated/openapi';

/**
 * The REST API's shapes, generated from the one contract (docs/openapi.yaml) into
 * generated/openapi.d.ts: clients take `ApiSchema<'Job'>` from here instead of declaring a job again.
 */
export type ApiSchemas = components['schemas'];
export type ApiSchema<Name extends keyof ApiSchemas> = ApiSchemas[Name];
export type { components as ApiComponents, operations as ApiOperations, paths as ApiPaths };
