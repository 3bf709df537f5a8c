import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_PORTS, workspaceRoot } from './runtime-config';
import { SIMULATOR_CA_FILE } from './topology/distributed-topology.launcher';

/**
 * docker-compose.yml and deploy/k8s describe the topology the code runs (DEFAULT_PORTS): these
 * checks fail when a service, its port or its health probe is missing, so the files cannot drift
 * from the code's service list unnoticed. Their schemas and the variables each process gets are
 * checked in deploy-files/ (deploy-schemas.spec.ts, deploy-environment.spec.ts).
 */

const root = workspaceRoot(__dirname);
const kebab = (name: string) => name.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);
const topology = Object.entries(DEFAULT_PORTS).map(([key, port]) => ({ name: kebab(key), port }));
const HUB = 'hub-simulator';
const GATEWAY = 'api-gateway';
/** Processes that serve no /metrics of their own. */
const WITHOUT_METRICS = [HUB, GATEWAY];
const urlVariable = (name: string) => `${name.replace(/-/g, '_').toUpperCase()}_URL`;
const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The lines of one top-level entry of a block mapping (`  name:` at `indent`) up to the next one. */
function block(text: string, name: string, indent: number): string | null {
  const lines = text.split('\n');
  const start = lines.findIndex((line) => line === `${' '.repeat(indent)}${name}:`);
  if (start < 0) return null;
  const end = lines.findIndex((line, index) => index > start && line.trim() !== '' && line.length - line.trimStart().length <= indent);
  return lines.slice(start, end < 0 ? undefined : end).join('\n');
}

describe('the code topology', () => {
  it('names every process of the distributed topology, each with a service folder', () => {
    expect(topology.map((service) => service.name).sort()).toEqual(
      ['api-gateway', 'device-set', 'dispatcher', 'hub-simulator', 'job-command', 'projection'],
    );
    for (const { name } of topology) expect(existsSync(join(root, 'services', name, 'src'))).toBe(true);
  });
});

describe('docker-compose.yml', () => {
  const compose = readFileSync(join(root, 'docker-compose.yml'), 'utf8');
  const services = block(compose, 'services', 0) ?? '';

  describe.each(topology)('service $name', ({ name, port }) => {
    const service = block(services, name, 2) ?? '';

    it('is defined, runs its own entry point and listens on every interface', () => {
      expect(service).not.toBe('');
      expect(service).toContain(`SERVICE: ${name}`);
      expect(service).toMatch(name === HUB ? /^ {6}HUB_SIMULATOR_HOST: 0\.0\.0\.0$/m : /^ {6}HOST: 0\.0\.0\.0$/m);
    });

    it(`listens on ${port} and is health-checked there`, () => {
      if (name === HUB) {
        expect(service).toMatch(new RegExp(`HUB_SIMULATOR_PORT: ${port}$`, 'm'));
        expect(service).toMatch(/HUB_SIMULATOR_HOST: 0\.0\.0\.0$/m);
        expect(service).toMatch(new RegExp(`healthcheck:[\\s\\S]*test: .*https://localhost:${port}/.*${escape(SIMULATOR_CA_FILE)}`));
      } else {
        expect(service).toMatch(new RegExp(`^ {6}PORT: ${port}$`, 'm'));
        expect(service).toMatch(new RegExp(`healthcheck:[\\s\\S]*test: .*127\\.0\\.0\\.1:${port}/health/ready`));
      }
    });

    it('reaches the other services at their ports', () => {
      for (const other of topology.filter((candidate) => candidate.name !== HUB && candidate.name !== GATEWAY)) {
        const setting = new RegExp(`^ {6}${urlVariable(other.name)}: (.*)$`, 'm').exec(service);
        if (setting) expect(setting[1]).toBe(`http://${other.name}:${other.port}`);
      }
    });

    it('uses its own database, created by the init script', () => {
      if (name === GATEWAY) return expect(service).not.toContain('DATABASE_URL');
      const database = `fleetjobs_${name.replace(/-/g, '_')}`;
      expect(service).toMatch(new RegExp(`DATABASE_URL: postgres://\\S+/${database}$`, 'm'));
      expect(readFileSync(join(root, 'deploy', 'docker', 'create-databases.sql'), 'utf8')).toContain(`CREATE DATABASE ${database};`);
    });
  });

  it('publishes only the API gateway, runs two dispatchers and shares the simulator CA with its clients', () => {
    expect(compose.match(/^ {4}ports:$/gm)).toHaveLength(1);
    expect(block(services, GATEWAY, 2)).toContain(`- "${DEFAULT_PORTS.apiGateway}:${DEFAULT_PORTS.apiGateway}"`);
    expect(block(services, 'dispatcher', 2)).toMatch(/deploy:\n {6}replicas: 2/);
    for (const client of ['device-set', 'dispatcher']) {
      const service = block(services, client, 2) ?? '';
      expect(service).toMatch(new RegExp(`HUB_CA_CERT_FILE: (\\S+)/${escape(SIMULATOR_CA_FILE)}$`, 'm'));
      expect(service).toContain('- hub-tls:');
    }
  });

  it('builds every Fleetjobs service from the one Dockerfile, whose command follows SERVICE', () => {
    expect(compose).toContain('dockerfile: deploy/docker/Dockerfile');
    const dockerfile = readFileSync(join(root, 'deploy', 'docker', 'Dockerfile'), 'utf8');
    expect(dockerfile).toMatch(/^CMD .*node dist\/services\/\$\{SERVICE\}\/src\/main\.js/m);
    expect(dockerfile).toContain('vite build --config services/dashboard/vite.config.ts');
  });
});

describe('deploy/k8s', () => {
  const directory = join(root, 'deploy', 'k8s');
  const documents = readdirSync(directory)
    .filter((file) => file.endsWith('.yaml'))
    .flatMap((file) => readFileSync(join(directory, file), 'utf8').split(/^---$/m))
    .map((text) => ({
      text,
      kind: /^kind: (\S+)$/m.exec(text)?.[1],
      name: /^metadata:\n(?: {2}.*\n)*? {2}name: (\S+)$/m.exec(text)?.[1],
    }));
  const find = (kind: string, name: string) => documents.find((doc) => doc.kind === kind && doc.name === name)?.text ?? '';

  it('puts everything in the fleetjobs namespace', () => {
    for (const doc of documents.filter((candidate) => candidate.kind && candidate.kind !== 'Namespace')) {
      expect(`${doc.kind}/${doc.name}: ${/^ {0,2}namespace: (\S+)$/m.exec(doc.text)?.[1]}`).toBe(`${doc.kind}/${doc.name}: fleetjobs`);
    }
  });

  describe.each(topology)('service $name', ({ name, port }) => {
    it(`has a Deployment running ${name} on ${port} and a Service on the same port`, () => {
      const deployment = find('Deployment', name);
      expect(deployment).toMatch(new RegExp(`- name: SERVICE\\n\\s+value: ${name}$`, 'm'));
      expect(deployment).toMatch(new RegExp(`containerPort: ${port}$`, 'm'));
      expect(find('Service', name)).toMatch(new RegExp(`^ {6}port: ${port}$`, 'm'));
    });

    it('is probed for readiness and liveness', () => {
      const deployment = find('Deployment', name);
      const readiness = block(deployment, 'readinessProbe', 10) ?? '';
      const liveness = block(deployment, 'livenessProbe', 10) ?? '';
      if (name === HUB) {
        expect(readiness).toContain('tcpSocket:');
        expect(liveness).toContain('tcpSocket:');
      } else {
        expect(readiness).toMatch(/path: \/health\/ready$/m);
        expect(liveness).toMatch(/path: \/health\/live$/m);
      }
    });

    it('is scraped by Prometheus where it serves metrics', () => {
      const deployment = find('Deployment', name);
      if (WITHOUT_METRICS.includes(name)) return expect(deployment).not.toContain('prometheus.io/scrape');
      expect(deployment).toContain('prometheus.io/scrape: "true"');
      expect(deployment).toContain(`prometheus.io/port: "${port}"`);
      expect(deployment).toContain('prometheus.io/path: /metrics');
    });
  });

  it('runs three dispatchers and scales them on CPU', () => {
    expect(find('Deployment', 'dispatcher')).toMatch(/^ {2}replicas: 3$/m);
    const autoscaler = find('HorizontalPodAutoscaler', 'dispatcher');
    expect(autoscaler).toMatch(/scaleTargetRef:\n\s+apiVersion: apps\/v1\n\s+kind: Deployment\n\s+name: dispatcher$/m);
    expect(autoscaler).toMatch(/name: cpu$/m);
  });

  it('shares the service URLs and settings through the ConfigMap, the hub connection through the Secret', () => {
    const config = find('ConfigMap', 'fleetjobs-config');
    expect(config).toContain('HOST: "0.0.0.0"');
    for (const { name, port } of topology.filter((service) => service.name !== HUB && service.name !== GATEWAY)) {
      expect(config).toContain(`${urlVariable(name)}: http://${name}:${port}`);
    }
    expect(find('Secret', 'fleetjobs-secrets')).toMatch(/^ {2}HUB_CONNECTION_STRING: /m);
  });

  it('exposes the API gateway through the Ingress', () => {
    const ingress = documents.find((doc) => doc.kind === 'Ingress')?.text ?? '';
    expect(ingress).toMatch(new RegExp(`name: ${GATEWAY}\\n\\s+port:\\n\\s+number: ${DEFAULT_PORTS.apiGateway}$`, 'm'));
  });

  it('lists every manifest in the kustomization', () => {
    const kustomization = readFileSync(join(directory, 'kustomization.yaml'), 'utf8');
    for (const file of readdirSync(directory).filter((candidate) => candidate.endsWith('.yaml') && candidate !== 'kustomization.yaml')) {
      expect(kustomization).toContain(`- ${file}`);
    }
  });
});
