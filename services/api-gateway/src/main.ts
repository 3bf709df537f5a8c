import { httpApiTokenVerifier, readAccessConfig } from '@fleetjobs/access';
import { readCallerLimits } from '@fleetjobs/http-kit';
import { DEFAULT_PORTS, endpointsFromEnv, env } from '@fleetjobs/runtime';
import { createApiGateway } from './api-gateway.server';


const port = Number(env('PORT', String(DEFAULT_PORTS.apiGateway)));
const endpoints = endpointsFromEnv();
const server = createApiGateway(endpoints, {
  config: readAccessConfig(process.env),
  verifyApiToken: httpApiTokenVerifier(endpoints.jobCommand),
  limits: readCallerLimits(process.env),
});
server.listen(port, env('HOST', '127.0.0.1'), () => {
  console.log(JSON.stringify({ level: 'info', service: 'api-gateway', msg: `listening on ${port}` }));
});
const stop = () => server.close(() => process.exit(0));
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
