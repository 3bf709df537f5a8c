export * from './api-gateway.server';
export * from './api-routes';
export * from './dashboard-static';
