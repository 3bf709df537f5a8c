export * from './routes/route-roles';
export * from './config/access-config';
export * from './edge/credential-check';
export * from './edge/jwt-verifier';
export * from './edge/access.middleware';
export * from './tokens/api-token';
