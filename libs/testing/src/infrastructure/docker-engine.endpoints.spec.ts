import { dockerEndpointCandidates } from './docker-engine.endpoints';

describe('dockerEndpointCandidates', () => {
  it('pings only DOCKER_HOST when it is set', () => {
    expect(dockerEndpointCandidates({ DOCKER_HOST: 'unix:///run/podman/podman.sock', HOME: '/home/me' })).toEqual([{ kind: 'socket', path: '/run/podman/podman.sock' }]);
    expect(dockerEndpointCandidates({ DOCKER_HOST: 'tcp://10.0.0.5:2375' })).toEqual([{ kind: 'tcp', host: '10.0.0.5', port: 2375, tls: false }]);
    expect(dockerEndpointCandidates({ DOCKER_HOST: 'tcp://docker.example', DOCKER_TLS_VERIFY: '1' })).toEqual([{ kind: 'tcp', host: 'docker.example', port: 2376, tls: true }]);
    expect(dockerEndpointCandidates({ DOCKER_HOST: 'tcp://[::1]:2375' })).toEqual([{ kind: 'tcp', host: '::1', port: 2375, tls: false }]);
  });

  it('a DOCKER_HOST it cannot ping means no engine, not the default socket', () => {
    expect(dockerEndpointCandidates({ DOCKER_HOST: 'ssh://me@remote' })).toEqual([]);
  });

  it('without DOCKER_HOST: the default socket first, then the rootless and Desktop sockets', () => {
    expect(dockerEndpointCandidates({ HOME: '/home/me', XDG_RUNTIME_DIR: '/run/user/1000' }, 1000).map((endpoint) => endpoint.kind === 'socket' && endpoint.path)).toEqual([
      '/var/run/docker.sock',
      '/run/user/1000/docker.sock',
      '/home/me/.docker/run/docker.sock',
      '/home/me/.docker/desktop/docker.sock',
    ]);
    expect(dockerEndpointCandidates({})).toEqual([{ kind: 'socket', path: '/var/run/docker.sock' }]);
  });
});
