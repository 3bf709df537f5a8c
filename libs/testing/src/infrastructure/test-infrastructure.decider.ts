/** Where one piece of the tests' infrastructure comes from. */
export type InfrastructureSource = 'environment' | 'container' | 'local' | 'not-needed';

export interface InfrastructureNeeds {
  readonly postgres: boolean;
  readonly kafka: boolean;
}

/** The one variable that names the tests' PostgreSQL server (a URL; any database in it is replaced). */
export const TEST_DATABASE_VARIABLE = 'FLEETJOBS_TEST_DATABASE_URL';

/** Names the tests once read for their PostgreSQL server; none is read any more. */
export const FORMER_TEST_DATABASE_VARIABLES = ['POSTGRES_URL', 'BENCH_POSTGRES_URL', 'TEST_DATABASE_URL'] as const;

/** The variables that name the infrastructure explicitly. */
export interface InfrastructureEnvironment {
  readonly FLEETJOBS_TEST_DATABASE_URL?: string;
  readonly KAFKA_BROKERS?: string;
}

export interface InfrastructureChoice {
  readonly postgres: InfrastructureSource;
  readonly kafka: InfrastructureSource;
}

const named = (value: string | undefined): boolean => (value ?? '').trim() !== '';

/** Whether the Docker engine must be asked at all: only when something needed is not named explicitly. */
export function dockerEngineQuestionNeeded(environment: InfrastructureEnvironment, needs: InfrastructureNeeds): boolean {
  return (needs.postgres && !named(environment.FLEETJOBS_TEST_DATABASE_URL)) || (needs.kafka && !named(environment.KAFKA_BROKERS));
}

/**
 * Each piece independently: named in the environment wins; otherwise a container when a Docker
 * engine answered; otherwise the machine's local service. One never rules out the other.
 */
export function decideTestInfrastructure(input: {
  readonly environment: InfrastructureEnvironment;
  readonly needs: InfrastructureNeeds;
  readonly dockerEngineAnswered: boolean;
}): InfrastructureChoice {
  const pick = (needed: boolean, value: string | undefined): InfrastructureSource => {
    if (!needed) return 'not-needed';
    if (named(value)) return 'environment';
    return input.dockerEngineAnswered ? 'container' : 'local';
  };
  return {
    postgres: pick(input.needs.postgres, input.environment.FLEETJOBS_TEST_DATABASE_URL),
    kafka: pick(input.needs.kafka, input.environment.KAFKA_BROKERS),
  };
}

/** A failed container start: that piece falls back to the local service; the other keeps its choice. */
export function fallBackToLocal(choice: InfrastructureChoice, failed: 'postgres' | 'kafka'): InfrastructureChoice {
  return { ...choice, [failed]: 'local' };
}

/** Former test-database variables that are set: a user who sets one expects it to count, so say it does not. */
export function unreadFormerTestDatabaseVariables(environment: Readonly<Record<string, string | undefined>>): string[] {
  return FORMER_TEST_DATABASE_VARIABLES.filter((name) => named(environment[name]));
}
