import { existsSync, readFileSync } from 'node:fs';
import { request as httpRequest, RequestOptions } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { DockerEndpoint, dockerEndpointCandidates } from './docker-engine.endpoints';

const PING_TIMEOUT_MS = 2_000;

/**
 * Whether a Docker engine answers `GET /_ping` with OK on one of the endpoints. A docker client
 * binary on the PATH proves nothing; only an engine that answers can start containers.
 */
export async function dockerEngineAnswers(environment: NodeJS.ProcessEnv = process.env): Promise<boolean> {
  for (const endpoint of dockerEndpointCandidates(environment, process.getuid?.())) {
    if (endpoint.kind === 'socket' && !existsSync(endpoint.path)) continue;
    if (await ping(endpoint, environment)) return true;
  }
  return false;
}

function ping(endpoint: DockerEndpoint, environment: NodeJS.ProcessEnv): Promise<boolean> {
  return new Promise((resolve) => {
    const options: RequestOptions = { method: 'GET', path: '/_ping', timeout: PING_TIMEOUT_MS };
    const request =
      endpoint.kind === 'socket'
        ? httpRequest({ ...options, socketPath: endpoint.path })
        : endpoint.tls
          ? httpsRequest({ ...options, host: endpoint.host, port: endpoint.port, ...tlsFiles(environment) })
          : httpRequest({ ...options, host: endpoint.host, port: endpoint.port });
    request.on('response', (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolve(response.statusCode === 200 && body.trim() === 'OK'));
      response.on('error', () => resolve(false));
    });
    request.on('timeout', () => request.destroy(new Error('ping timed out')));
    request.on('error', () => resolve(false));
    request.end();
  });
}

function tlsFiles(environment: NodeJS.ProcessEnv): { ca?: Buffer; cert?: Buffer; key?: Buffer } {
  const directory = environment.DOCKER_CERT_PATH || join(homedir(), '.docker');
  const read = (name: string) => (existsSync(join(directory, name)) ? readFileSync(join(directory, name)) : undefined);
  return { ca: read('ca.pem'), cert: read('cert.pem'), key: read('key.pem') };
}
