export * from './device-gateway.port';
