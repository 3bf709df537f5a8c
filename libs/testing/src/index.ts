export * from './kafka-broker';
export * from './wait-for';
export * from './throwaway-postgres-cluster';
export * from './raw-request';
export * from './test-postgres';
export * from './oidc/test-oidc-provider';
