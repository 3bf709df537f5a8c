import { provideTestInfrastructure, TestInfrastructurePorts } from './test-infrastructure';

function fakePorts(environment: Record<string, string | undefined>, engine: boolean, failing: ('postgres' | 'kafka')[] = []) {
  const lines: string[] = [];
  const started: string[] = [];
  const stopped: string[] = [];
  const asked = { engine: 0 };
  const container = (piece: 'postgres' | 'kafka', address: string) => async () => {
    if (failing.includes(piece)) throw new Error(`${piece} image not found\nstack`);
    started.push(piece);
    return { address, stop: async () => void stopped.push(piece) };
  };
  const ports: TestInfrastructurePorts = {
    environment,
    dockerEngineAnswers: async () => {
      asked.engine += 1;
      return engine;
    },
    startPostgresContainer: container('postgres', 'postgres://postgres:postgres@localhost:32801'),
    startKafkaContainer: container('kafka', 'localhost:32802'),
    log: (line) => lines.push(line),
  };
  return { ports, lines, started, stopped, asked };
}

describe('provideTestInfrastructure', () => {
  it('with an engine and nothing named: both containers, their addresses exported, both stopped at the end', async () => {
    const fake = fakePorts({}, true);
    const provided = await provideTestInfrastructure({ postgres: true, kafka: true }, fake.ports);
    expect(provided.choice).toEqual({ postgres: 'container', kafka: 'container' });
    expect(fake.ports.environment).toEqual({ FLEETJOBS_TEST_DATABASE_URL: 'postgres://postgres:postgres@localhost:32801', KAFKA_BROKERS: 'localhost:32802' });
    await provided.stop();
    expect(fake.stopped.sort()).toEqual(['kafka', 'postgres']);
  });

  it('FLEETJOBS_TEST_DATABASE_URL named and an engine there: only Kafka from a container', async () => {
    const fake = fakePorts({ FLEETJOBS_TEST_DATABASE_URL: 'postgres://postgres@db:5432' }, true);
    const provided = await provideTestInfrastructure({ postgres: true, kafka: true }, fake.ports);
    expect(provided.choice).toEqual({ postgres: 'environment', kafka: 'container' });
    expect(fake.started).toEqual(['kafka']);
    expect(fake.ports.environment.FLEETJOBS_TEST_DATABASE_URL).toBe('postgres://postgres@db:5432');
    expect(fake.lines).toEqual(['test infrastructure: PostgreSQL from FLEETJOBS_TEST_DATABASE_URL (postgres://postgres@db:5432); Kafka from a container (localhost:32802)']);
  });

  it('no engine: the local services, nothing exported, as without containers', async () => {
    const fake = fakePorts({}, false);
    const provided = await provideTestInfrastructure({ postgres: true, kafka: true }, fake.ports);
    expect(provided.choice).toEqual({ postgres: 'local', kafka: 'local' });
    expect(fake.ports.environment).toEqual({});
    expect(fake.started).toEqual([]);
    expect(fake.lines[0]).toMatch(/PostgreSQL from the local server .*; Kafka from the local broker .*\(no Docker engine answered\)$/);
  });

  it('everything named: the engine is not even asked', async () => {
    const fake = fakePorts({ FLEETJOBS_TEST_DATABASE_URL: 'postgres://postgres@db:5432', KAFKA_BROKERS: 'k:9092' }, true);
    const provided = await provideTestInfrastructure({ postgres: true, kafka: true }, fake.ports);
    expect(provided.choice).toEqual({ postgres: 'environment', kafka: 'environment' });
    expect(fake.asked.engine).toBe(0);
  });

  it('a container that fails to start falls back to the local service with a clear line; the other one stays', async () => {
    const fake = fakePorts({}, true, ['kafka']);
    const provided = await provideTestInfrastructure({ postgres: true, kafka: true }, fake.ports);
    expect(provided.choice).toEqual({ postgres: 'container', kafka: 'local' });
    expect(fake.ports.environment).toEqual({ FLEETJOBS_TEST_DATABASE_URL: 'postgres://postgres:postgres@localhost:32801' });
    expect(fake.lines[0]).toBe('test infrastructure: the Kafka container did not start (kafka image not found); using the local broker (deploy/local/kafka/kafka.sh) instead');
    await provided.stop();
    expect(fake.stopped).toEqual(['postgres']);
  });

  it('a former test-database variable set alone is not read, and the run says so', async () => {
    const fake = fakePorts({ POSTGRES_URL: 'postgres://postgres@old:5432' }, false);
    const provided = await provideTestInfrastructure({ postgres: true, kafka: false }, fake.ports);
    expect(provided.choice).toEqual({ postgres: 'local', kafka: 'not-needed' });
    expect(fake.lines[0]).toBe("test infrastructure: POSTGRES_URL is set but not read; FLEETJOBS_TEST_DATABASE_URL names the tests' PostgreSQL");
  });

  it('a suite that needs only PostgreSQL starts no Kafka', async () => {
    const fake = fakePorts({}, true);
    const provided = await provideTestInfrastructure({ postgres: true, kafka: false }, fake.ports);
    expect(provided.choice).toEqual({ postgres: 'container', kafka: 'not-needed' });
    expect(fake.started).toEqual(['postgres']);
  });
});
