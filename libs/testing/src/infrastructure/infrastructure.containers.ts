import type { StartedTestContainer } from 'testcontainers';
import { waitFor } from '../wait-for';

/** The images match docker-compose.yml, so tests and the composed system run the same servers. */
const POSTGRES_IMAGE = 'postgres:17';
const KAFKA_IMAGE = 'apache/kafka:4.1.1';
const KAFKA_CLIENT_PORT = 9092;
const KAFKA_START_SCRIPT = '/tmp/fleetjobs-kafka-start.sh';
const KAFKA_WAITING_LINE = 'fleetjobs: waiting for the start script';
const KAFKA_READY_TIMEOUT_MS = 180_000;

export interface StartedInfrastructureContainer {
  /** `FLEETJOBS_TEST_DATABASE_URL` (a server URL without a database) or `KAFKA_BROKERS` (host:port). */
  readonly address: string;
  stop(): Promise<void>;
}

/** A PostgreSQL 17 server with the local server's manners: user postgres, trust, room for parallel test workers. */
export async function startPostgresContainer(): Promise<StartedInfrastructureContainer> {
  const { PostgreSqlContainer } = await import('@testcontainers/postgresql');
  const container = await new PostgreSqlContainer(POSTGRES_IMAGE)
    .withUsername('postgres')
    .withPassword('postgres')
    .withDatabase('postgres')
    .withEnvironment({ POSTGRES_HOST_AUTH_METHOD: 'trust' })
    // Throwaway data: durability costs time and buys nothing.
    .withCommand(['postgres', '-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off', '-c', 'max_connections=300'])
    .start();
  return {
    address: `postgres://postgres:postgres@${hostForUrl(container.getHost())}:${container.getPort()}`,
    stop: () => stopContainer(container),
  };
}

/**
 * A single-node Kafka 4 broker in KRaft mode (the apache/kafka image; @testcontainers/kafka only
 * knows Confluent's images). The advertised address needs the mapped port, known only once the
 * container runs, so the container waits for a start script that names it.
 */
export async function startKafkaContainer(): Promise<StartedInfrastructureContainer> {
  const { GenericContainer, Wait } = await import('testcontainers');
  const container = await new GenericContainer(KAFKA_IMAGE)
    .withExposedPorts(KAFKA_CLIENT_PORT)
    .withEnvironment({
      CLUSTER_ID: '4L6g3nShT-eMCtK--X86sw',
      KAFKA_NODE_ID: '1',
      KAFKA_PROCESS_ROLES: 'broker,controller',
      KAFKA_LISTENERS: `PLAINTEXT://0.0.0.0:${KAFKA_CLIENT_PORT},BROKER://0.0.0.0:9094,CONTROLLER://0.0.0.0:9093`,
      KAFKA_LISTENER_SECURITY_PROTOCOL_MAP: 'PLAINTEXT:PLAINTEXT,BROKER:PLAINTEXT,CONTROLLER:PLAINTEXT',
      KAFKA_INTER_BROKER_LISTENER_NAME: 'BROKER',
      KAFKA_CONTROLLER_LISTENER_NAMES: 'CONTROLLER',
      KAFKA_CONTROLLER_QUORUM_VOTERS: '1@localhost:9093',
      // The same broker settings as deploy/local/kafka/kafka.sh. (The image turns every KAFKA_* variable
      // into a property, so the heap is left at the image's default rather than set here.)
      KAFKA_NUM_PARTITIONS: '8',
      KAFKA_AUTO_CREATE_TOPICS_ENABLE: 'false',
      KAFKA_DEFAULT_REPLICATION_FACTOR: '1',
      KAFKA_MIN_INSYNC_REPLICAS: '1',
      KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR: '1',
      KAFKA_OFFSETS_TOPIC_NUM_PARTITIONS: '8',
      KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR: '1',
      KAFKA_TRANSACTION_STATE_LOG_MIN_ISR: '1',
      KAFKA_SHARE_COORDINATOR_STATE_TOPIC_REPLICATION_FACTOR: '1',
      KAFKA_SHARE_COORDINATOR_STATE_TOPIC_MIN_ISR: '1',
      KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS: '0',
    })
    .withEntrypoint(['sh'])
    .withCommand(['-c', `echo '${KAFKA_WAITING_LINE}'; while [ ! -f ${KAFKA_START_SCRIPT} ]; do sleep 0.1; done; exec sh ${KAFKA_START_SCRIPT}`])
    .withWaitStrategy(Wait.forLogMessage(KAFKA_WAITING_LINE))
    .withStartupTimeout(120_000)
    .start();
  try {
    const address = `${hostForUrl(container.getHost())}:${container.getMappedPort(KAFKA_CLIENT_PORT)}`;
    await container.copyContentToContainer([
      {
        content: `export KAFKA_ADVERTISED_LISTENERS=PLAINTEXT://${address},BROKER://localhost:9094\nexec /etc/kafka/docker/run\n`,
        target: KAFKA_START_SCRIPT,
        mode: 0o755,
      },
    ]);
    await waitForBroker(address);
    return { address, stop: () => stopContainer(container) };
  } catch (error) {
    await stopContainer(container);
    throw error;
  }
}

/** Ready = the broker answers a metadata request on its advertised address. */
async function waitForBroker(address: string): Promise<void> {
  const { Kafka, logLevel } = await import('kafkajs');
  const admin = new Kafka({ clientId: 'fleetjobs-test-infrastructure', brokers: [address], logLevel: logLevel.NOTHING, retry: { retries: 0 } }).admin();
  try {
    await waitFor(
      `the Kafka container on ${address} to answer`,
      async () => {
        try {
          await admin.connect();
          return (await admin.describeCluster()).brokers.length > 0;
        } catch {
          return false;
        }
      },
      KAFKA_READY_TIMEOUT_MS,
      250,
    );
  } finally {
    await admin.disconnect();
  }
}

async function stopContainer(container: StartedTestContainer): Promise<void> {
  await container.stop({ remove: true, removeVolumes: true });
}

function hostForUrl(host: string): string {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}
