export * from './kafka-broker';
export * from './wait-for';
export * from './throwaway-postgres-cluster';
export * from './raw-request';
export * from './test-postgres';
