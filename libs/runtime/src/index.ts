export * from './infra.tokens';
export * from './infra.module';
export * from './service-outbox';
