import { httpApiTokenVerifier, readAccessConfig } from '@fleetjobs/access';
import { createLogger, readCallerLimits } from '@fleetjobs/http-kit';
import { DEFAULT_PORTS, endpointsFromEnv, env } from '@fleetjobs/runtime';
import { createApiGateway } from './api-gateway.server';

const logger = createLogger('api-gateway');
const port = Number(env('PORT', String(DEFAULT_PORTS.apiGateway)));
const endpoints = endpointsFromEnv();
const server = createApiGateway(endpoints, {
  config: readAccessConfig(process.env),
  verifyApiToken: httpApiTokenVerifier(endpoints.jobCommand),
  limits: readCallerLimits(process.env),
}, logger);
server.listen(port, env('HOST', '127.0.0.1'), () => {
  logger.info(`listening on ${port}`);
});
const stop = () => server.close(() => process.exit(0));
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
