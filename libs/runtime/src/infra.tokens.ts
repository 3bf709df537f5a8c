/** DI token of the process's TypeORM DataSource (PostgreSQL, or PGlite in embedded mode). */
export const DATA_SOURCE = Symbol('DATA_SOURCE');

/** DI token of the `ServiceEndpoints`: where a service reaches the others' internal APIs. */
export const SERVICE_ENDPOINTS = Symbol('SERVICE_ENDPOINTS');

/** Base URLs of the services' internal HTTP APIs (one origin in embedded mode). */
export interface ServiceEndpoints {
  deviceSet: string;
  dispatcher: string;
  jobCommand: string;
  projection: string;
}
