import { decideTestInfrastructure, dockerEngineQuestionNeeded, fallBackToLocal, unreadFormerTestDatabaseVariables } from './test-infrastructure.decider';

const BOTH = { postgres: true, kafka: true };
const URL = 'postgres://postgres@db.example:5432';
const BROKERS = 'kafka.example:9092';

describe('decideTestInfrastructure', () => {
  it.each([
    // environment, docker engine answered → postgres, kafka
    [{}, false, 'local', 'local'],
    [{}, true, 'container', 'container'],
    [{ FLEETJOBS_TEST_DATABASE_URL: URL, KAFKA_BROKERS: BROKERS }, true, 'environment', 'environment'],
    [{ FLEETJOBS_TEST_DATABASE_URL: URL, KAFKA_BROKERS: BROKERS }, false, 'environment', 'environment'],
    [{ FLEETJOBS_TEST_DATABASE_URL: URL }, true, 'environment', 'container'],
    [{ KAFKA_BROKERS: BROKERS }, true, 'container', 'environment'],
    [{ FLEETJOBS_TEST_DATABASE_URL: URL }, false, 'environment', 'local'],
    [{ KAFKA_BROKERS: BROKERS }, false, 'local', 'environment'],
    [{ FLEETJOBS_TEST_DATABASE_URL: '  ', KAFKA_BROKERS: '' }, true, 'container', 'container'],
  ] as const)('env %j, engine answered %s → PostgreSQL %s, Kafka %s', (environment, dockerEngineAnswered, postgres, kafka) => {
    expect(decideTestInfrastructure({ environment, needs: BOTH, dockerEngineAnswered })).toEqual({ postgres, kafka });
  });

  it('leaves out what a suite does not need, whatever else is there', () => {
    expect(decideTestInfrastructure({ environment: {}, needs: { postgres: true, kafka: false }, dockerEngineAnswered: true })).toEqual({
      postgres: 'container',
      kafka: 'not-needed',
    });
    expect(decideTestInfrastructure({ environment: { FLEETJOBS_TEST_DATABASE_URL: URL }, needs: { postgres: false, kafka: true }, dockerEngineAnswered: false })).toEqual({
      postgres: 'not-needed',
      kafka: 'local',
    });
  });

  it('a failed container falls back to the local service and keeps the other choice', () => {
    expect(fallBackToLocal({ postgres: 'container', kafka: 'container' }, 'kafka')).toEqual({ postgres: 'container', kafka: 'local' });
    expect(fallBackToLocal({ postgres: 'container', kafka: 'environment' }, 'postgres')).toEqual({ postgres: 'local', kafka: 'environment' });
  });
});

describe('dockerEngineQuestionNeeded', () => {
  it('asks the engine only when something needed is not named', () => {
    expect(dockerEngineQuestionNeeded({ FLEETJOBS_TEST_DATABASE_URL: URL, KAFKA_BROKERS: BROKERS }, BOTH)).toBe(false);
    expect(dockerEngineQuestionNeeded({ FLEETJOBS_TEST_DATABASE_URL: URL }, BOTH)).toBe(true);
    expect(dockerEngineQuestionNeeded({ KAFKA_BROKERS: BROKERS }, BOTH)).toBe(true);
    expect(dockerEngineQuestionNeeded({ FLEETJOBS_TEST_DATABASE_URL: URL }, { postgres: true, kafka: false })).toBe(false);
    expect(dockerEngineQuestionNeeded({}, { postgres: false, kafka: false })).toBe(false);
  });
});

describe('unreadFormerTestDatabaseVariables', () => {
  it('names the former test-database variables that are set, and nothing else', () => {
    expect(unreadFormerTestDatabaseVariables({ POSTGRES_URL: URL, BENCH_POSTGRES_URL: ' ', DATABASE_URL: URL, FLEETJOBS_TEST_DATABASE_URL: URL })).toEqual(['POSTGRES_URL']);
    expect(unreadFormerTestDatabaseVariables({})).toEqual([]);
  });
});
