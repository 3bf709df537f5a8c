import { DEFAULT_PORTS, endpointsFromEnv, env } from '@fleetjobs/runtime';
import { createApiGateway } from './api-gateway.server';

const port = Number(env('PORT', String(DEFAULT_PORTS.apiGateway)));
const server = createApiGateway(endpointsFromEnv());
server.listen(port, env('HOST', '127.0.0.1'), () => {
  console.log(JSON.stringify({ level: 'info', service: 'api-gateway', msg: `listening on ${port}` }));
});
const stop = () => server.close(() => process.exit(0));
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
