/** Where a Docker engine may listen: a unix socket, or a TCP address (TLS when DOCKER_TLS_VERIFY is set). */
export type DockerEndpoint =
  | { readonly kind: 'socket'; readonly path: string }
  | { readonly kind: 'tcp'; readonly host: string; readonly port: number; readonly tls: boolean };

export interface DockerEndpointEnvironment {
  readonly DOCKER_HOST?: string;
  readonly DOCKER_TLS_VERIFY?: string;
  readonly XDG_RUNTIME_DIR?: string;
  readonly HOME?: string;
}

/**
 * The endpoints to ping, in order: `DOCKER_HOST` alone when it is set (the engine the user chose;
 * a scheme we cannot ping counts as no engine), else the default socket and the rootless / Desktop
 * sockets that testcontainers looks for too.
 */
export function dockerEndpointCandidates(environment: DockerEndpointEnvironment, uid?: number): DockerEndpoint[] {
  const host = environment.DOCKER_HOST?.trim();
  if (host) {
    const endpoint = parseDockerHost(host, (environment.DOCKER_TLS_VERIFY ?? '').trim() !== '');
    return endpoint ? [endpoint] : [];
  }
  const sockets = [
    '/var/run/docker.sock',
    environment.XDG_RUNTIME_DIR && `${environment.XDG_RUNTIME_DIR}/docker.sock`,
    environment.HOME && `${environment.HOME}/.docker/run/docker.sock`,
    environment.HOME && `${environment.HOME}/.docker/desktop/docker.sock`,
    uid !== undefined && `/run/user/${uid}/docker.sock`,
  ].filter((path): path is string => typeof path === 'string' && path !== '');
  return [...new Set(sockets)].map((path) => ({ kind: 'socket', path }));
}

function parseDockerHost(value: string, tls: boolean): DockerEndpoint | undefined {
  if (value.startsWith('unix://')) return { kind: 'socket', path: value.slice('unix://'.length) };
  const tcp = /^tcp:\/\/(\[[^\]]+\]|[^:/]+)(?::(\d+))?\/?$/.exec(value);
  if (!tcp) return undefined;
  return { kind: 'tcp', host: tcp[1].replace(/^\[|\]$/g, ''), port: tcp[2] ? Number(tcp[2]) : tls ? 2376 : 2375, tls };
}
