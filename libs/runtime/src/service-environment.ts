/**
 * The one list of the environment variables each deployed process reads. docker-compose.yml and
 * deploy/k8s are checked against it (libs/runtime/src/deploy-files/deploy-environment.spec.ts):
 * they set nothing a process does not read, everything a container needs, and credentials only
 * from a Secret. A variable the code starts to read is added here first.
 */
export const DEPLOYED_PROCESSES = ['api-gateway', 'device-set', 'job-command', 'dispatcher', 'projection', 'hub-simulator'] as const;
export type DeployedProcess = (typeof DEPLOYED_PROCESSES)[number];

export interface ServiceVariable {
  readonly name: string;
  /** The processes whose code reads it. */
  readonly readBy: readonly DeployedProcess[];
  /** The processes whose every deployment must set it: the code's default only suits a laptop. */
  readonly requiredBy?: readonly DeployedProcess[];
  /** A credential or a URL that may hold one: Kubernetes takes it from a Secret, never the ConfigMap. */
  readonly secret?: true;
  readonly meaning: string;
}

const NEST: readonly DeployedProcess[] = ['api-gateway', 'device-set', 'job-command', 'dispatcher', 'projection'];
const KAFKA: readonly DeployedProcess[] = ['device-set', 'job-command', 'dispatcher', 'projection'];
const WITH_DATABASE: readonly DeployedProcess[] = [...KAFKA, 'hub-simulator'];
const HUB_CLIENTS: readonly DeployedProcess[] = ['device-set', 'dispatcher'];
const AUTH_READERS: readonly DeployedProcess[] = ['api-gateway', 'job-command'];
const ALL = DEPLOYED_PROCESSES;

const kafkaSecurity = (name: string, meaning: string, secret?: true): ServiceVariable => ({ name, readBy: KAFKA, meaning, ...(secret ? { secret } : {}) });
const oidc = (name: string, meaning: string): ServiceVariable => ({ name, readBy: AUTH_READERS, meaning });
const only = (process: DeployedProcess, name: string, meaning: string): ServiceVariable => ({ name, readBy: [process], meaning });

export const SERVICE_ENVIRONMENT: readonly ServiceVariable[] = [
  { name: 'SERVICE', readBy: ALL, requiredBy: ALL, meaning: 'which process the one image runs (deploy/docker/Dockerfile)' },
  { name: 'PORT', readBy: NEST, requiredBy: NEST, meaning: 'the HTTP port' },
  { name: 'HOST', readBy: NEST, requiredBy: NEST, meaning: 'the interface to listen on (default 127.0.0.1; 0.0.0.0 in a container)' },
  { name: 'LOG_LEVEL', readBy: ALL, meaning: 'pino level (default info)' },
  { name: 'DATABASE_URL', readBy: WITH_DATABASE, requiredBy: WITH_DATABASE, secret: true, meaning: "the process's own PostgreSQL database" },
  { name: 'JOB_CONTROL_DATABASE_URL', readBy: ['dispatcher'], requiredBy: ['dispatcher'], secret: true, meaning: "job-command's database, read for job control" },
  { name: 'KAFKA_BROKERS', readBy: KAFKA, requiredBy: KAFKA, meaning: 'comma-separated host:port of the brokers' },
  { name: 'KAFKA_NAMESPACE', readBy: KAFKA, meaning: 'prefix of every topic and consumer group' },
  kafkaSecurity('KAFKA_SSL', 'true: TLS to the brokers'),
  kafkaSecurity('KAFKA_SSL_CA_FILE', "PEM bundle of the brokers' CAs"),
  kafkaSecurity('KAFKA_SSL_CERT_FILE', 'client certificate (PEM) for mutual TLS'),
  kafkaSecurity('KAFKA_SSL_KEY_FILE', "the client certificate's key (PEM)"),
  kafkaSecurity('KAFKA_SSL_REJECT_UNAUTHORIZED', 'false accepts a broker certificate that does not verify (tests only)'),
  kafkaSecurity('KAFKA_SASL_MECHANISM', 'plain, scram-sha-256 or scram-sha-512'),
  kafkaSecurity('KAFKA_SASL_USERNAME', 'the SASL user'),
  kafkaSecurity('KAFKA_SASL_PASSWORD', 'the SASL password', true),
  kafkaSecurity('KAFKA_SASL_PASSWORD_FILE', 'a file holding the SASL password'),
  { name: 'INBOX_RETENTION_DAYS', readBy: KAFKA, meaning: 'days consumers remember applied event ids (default 7)' },
  ...(['DEVICE_SET_URL', 'JOB_COMMAND_URL', 'DISPATCHER_URL', 'PROJECTION_URL'] as const).map(
    (name): ServiceVariable => ({ name, readBy: NEST, requiredBy: ['api-gateway'], meaning: 'where the service of that name answers (default 127.0.0.1 and its port)' }),
  ),
  { name: 'HUB_CONNECTION_STRING', readBy: HUB_CLIENTS, requiredBy: HUB_CLIENTS, secret: true, meaning: "the IoT hub's service connection string" },
  { name: 'HUB_CA_CERT_FILE', readBy: HUB_CLIENTS, meaning: "CA of the hub simulator's self-signed certificate (empty with a real hub)" },
  { name: 'HUB_RATE_LIMIT_PER_SECOND', readBy: ['dispatcher', 'job-command'], meaning: 'requests per second to the hub from all dispatchers together (0: no limit)' },
  only('dispatcher', 'DISPATCH_CONCURRENCY', 'device operations one dispatcher runs at once'),
  only('dispatcher', 'SETTING_ACK_TIMEOUT_MS', 'how long a device has to acknowledge a setting'),
  only('dispatcher', 'COMMAND_TIMEOUT_MS', 'how long a direct method may take'),
  only('dispatcher', 'DISPATCH_ORPHAN_AFTER_MS', 'silence after which another dispatcher takes over work'),
  only('dispatcher', 'DISPATCH_HEARTBEAT_MS', "how often a dispatcher renews its work's lease"),
  only('dispatcher', 'DISPATCH_IDLE_POLL_MS', 'how often an idle dispatcher looks for work'),
  only('dispatcher', 'DISPATCH_PERMIT_LEASE_MS', 'lease of a share of the hub rate'),
  only('dispatcher', 'DISPATCH_PERMIT_MARGIN_MS', 'margin before a rate lease ends'),
  only('device-set', 'MAX_DEVICES_PER_JOB', 'devices one set-wide job may reach'),
  only('device-set', 'HUB_SYNC_RETRY_WINDOW_MS', 'how long a failing registry call is retried'),
  only('device-set', 'HUB_SYNC_INITIAL_BACKOFF_MS', 'first pause between registry retries'),
  only('device-set', 'HUB_SYNC_MAX_BACKOFF_MS', 'longest pause between registry retries'),
  only('device-set', 'HUB_SYNC_LEASE_MS', "lease of a registry sync's work"),
  only('job-command', 'MAX_ACTIVE_JOBS', 'jobs pending, running or paused at once'),
  only('job-command', 'APPROVAL_DEVICE_THRESHOLD', 'jobs reaching more devices need a second person'),
  only('job-command', 'APPROVAL_REQUIRED_FOR_COMMANDS', 'commands whose jobs need a second person'),
  { name: 'FLEETJOBS_ADMIN_TOKEN', readBy: ['job-command'], secret: true, meaning: 'bootstrap administrator API token' },
  { name: 'JOB_RETENTION_DAYS', readBy: ['projection', 'dispatcher', 'job-command'], meaning: 'days an ended job stays listed, can be rerun or reverted, and its work rows and previous values are kept' },
  { name: 'AUTH', readBy: AUTH_READERS, meaning: 'on (default) or off' },
  oidc('OIDC_ISSUER', 'issuer of accepted OIDC bearer tokens'),
  oidc('OIDC_AUDIENCE', 'audience the tokens must name'),
  oidc('OIDC_JWKS_URI', "the issuer's keys, when not discovered"),
  oidc('OIDC_ROLE_CLAIM', 'claim holding the Fleetjobs roles'),
  oidc('OIDC_CLIENT_ID', "the dashboard's client id"),
  oidc('OIDC_SCOPES', 'scopes the dashboard asks for'),
  only('api-gateway', 'RATE_LIMIT_PER_MINUTE', 'API requests per caller a minute'),
  only('api-gateway', 'STREAMS_PER_CALLER', 'live job streams open at once per caller'),
  only('api-gateway', 'DASHBOARD_DIR', "the built dashboard's folder"),
  { name: 'HUB_SIMULATOR_PORT', readBy: ['hub-simulator'], requiredBy: ['hub-simulator'], meaning: 'HTTPS port (default 8443)' },
  { name: 'HUB_SIMULATOR_HOST', readBy: ['hub-simulator'], requiredBy: ['hub-simulator'], meaning: 'interface to listen on (default 127.0.0.1)' },
  { name: 'HUB_SIMULATOR_KEY', readBy: ['hub-simulator'], secret: true, meaning: "base64 key of the iothubowner policy" },
  only('hub-simulator', 'HUB_SIMULATOR_TLS_DIR', 'keeps its certificate, key and ca.pem across restarts'),
  only('hub-simulator', 'HUB_SIMULATOR_TLS_NAMES', 'names the certificate is made for (deploy/docker/hub-simulator-tls.mjs)'),
  only('hub-simulator', 'HUB_SIMULATOR_MAX_RPS', 'one rate limit for every kind of request, overriding the tier'),
  only('hub-simulator', 'HUB_SKU', "S1, S2 or S3: IoT Hub's per-kind operation throttles of that tier"),
  only('hub-simulator', 'HUB_UNITS', "the hub's units (default 1)"),
  only('hub-simulator', 'HUB_SIMULATOR_OPS_PORT', 'plain HTTP port of /health/live, /health/ready and /metrics (not served if unset)'),
];

/** The variables `process` reads, by name. */
export function variablesReadBy(process: DeployedProcess): Map<string, ServiceVariable> {
  return new Map(SERVICE_ENVIRONMENT.filter((variable) => variable.readBy.includes(process)).map((variable) => [variable.name, variable]));
}
