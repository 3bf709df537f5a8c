import { LOCAL_TEST_POSTGRES_URL } from '../test-postgres';
import { dockerEngineAnswers } from './docker-engine.probe';
import { startKafkaContainer, startPostgresContainer, StartedInfrastructureContainer } from './infrastructure.containers';
import {
  decideTestInfrastructure,
  dockerEngineQuestionNeeded,
  fallBackToLocal,
  InfrastructureChoice,
  InfrastructureNeeds,
  InfrastructureSource,
  TEST_DATABASE_VARIABLE,
  unreadFormerTestDatabaseVariables,
} from './test-infrastructure.decider';

export interface ProvidedTestInfrastructure {
  readonly choice: InfrastructureChoice;
  /** Stops the containers it started (none when everything was named or local). */
  stop(): Promise<void>;
}

export interface TestInfrastructurePorts {
  /** Read for FLEETJOBS_TEST_DATABASE_URL / KAFKA_BROKERS, written with the containers' addresses (for the test workers). */
  readonly environment: Record<string, string | undefined>;
  readonly dockerEngineAnswers: () => Promise<boolean>;
  readonly startPostgresContainer: () => Promise<StartedInfrastructureContainer>;
  readonly startKafkaContainer: () => Promise<StartedInfrastructureContainer>;
  readonly log: (line: string) => void;
}

const defaultPorts = (): TestInfrastructurePorts => ({
  environment: process.env,
  dockerEngineAnswers: () => dockerEngineAnswers(process.env),
  startPostgresContainer,
  startKafkaContainer,
  log: (line) => console.log(line),
});

const PIECES = {
  postgres: { name: 'PostgreSQL', variable: TEST_DATABASE_VARIABLE, local: `the local server (${LOCAL_TEST_POSTGRES_URL})` },
  kafka: { name: 'Kafka', variable: 'KAFKA_BROKERS', local: 'the local broker (deploy/local/kafka/kafka.sh)' },
} as const;

/**
 * Picks the tests' PostgreSQL and Kafka once per run (see decideTestInfrastructure), starts the
 * containers chosen and exports their addresses as FLEETJOBS_TEST_DATABASE_URL / KAFKA_BROKERS, which the test
 * workers inherit. A container that fails to start leaves that piece on the local service.
 */
export async function provideTestInfrastructure(
  needs: InfrastructureNeeds,
  overrides: Partial<TestInfrastructurePorts> = {},
): Promise<ProvidedTestInfrastructure> {
  const ports = { ...defaultPorts(), ...overrides };
  const environment = { [TEST_DATABASE_VARIABLE]: ports.environment[TEST_DATABASE_VARIABLE], KAFKA_BROKERS: ports.environment.KAFKA_BROKERS };
  for (const name of needs.postgres ? unreadFormerTestDatabaseVariables(ports.environment) : []) {
    ports.log(`test infrastructure: ${name} is set but not read; ${TEST_DATABASE_VARIABLE} names the tests' PostgreSQL`);
  }
  const dockerEngineAnswered = dockerEngineQuestionNeeded(environment, needs) ? await ports.dockerEngineAnswers() : false;
  let choice = decideTestInfrastructure({ environment, needs, dockerEngineAnswered });

  const starters = { postgres: ports.startPostgresContainer, kafka: ports.startKafkaContainer };
  const started: StartedInfrastructureContainer[] = [];
  const pieces = (['postgres', 'kafka'] as const).filter((piece) => choice[piece] === 'container');
  const outcomes = await Promise.allSettled(pieces.map((piece) => starters[piece]()));
  pieces.forEach((piece, index) => {
    const outcome = outcomes[index];
    if (outcome.status === 'fulfilled') {
      started.push(outcome.value);
      ports.environment[PIECES[piece].variable] = outcome.value.address;
    } else {
      const reason = outcome.reason instanceof Error ? outcome.reason.message : String(outcome.reason);
      ports.log(`test infrastructure: the ${PIECES[piece].name} container did not start (${reason.split('\n')[0]}); using ${PIECES[piece].local} instead`);
      choice = fallBackToLocal(choice, piece);
    }
  });

  const describe = (piece: 'postgres' | 'kafka', source: InfrastructureSource) => {
    const { name, variable, local } = PIECES[piece];
    if (source === 'environment') return `${name} from ${variable} (${ports.environment[variable]})`;
    if (source === 'container') return `${name} from a container (${ports.environment[variable]})`;
    if (source === 'local') return `${name} from ${local}`;
    return undefined;
  };
  const summary = [describe('postgres', choice.postgres), describe('kafka', choice.kafka)].filter(Boolean);
  const noEngine = dockerEngineQuestionNeeded(environment, needs) && !dockerEngineAnswered ? ' (no Docker engine answered)' : '';
  if (summary.length > 0) ports.log(`test infrastructure: ${summary.join('; ')}${noEngine}`);

  return {
    choice,
    async stop() {
      const stopped = await Promise.allSettled(started.map((container) => container.stop()));
      const failure = stopped.find((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected');
      if (failure) throw failure.reason;
    },
  };
}
