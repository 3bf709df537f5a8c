import type { EventEnvelope } from '@fleetjobs/contracts';
import type { DataSource, EntityManager } from 'typeorm';

/** DI token of a service's `UnitOfWork`, bound to the service's own schema and outbox relay. */
export const UNIT_OF_WORK = Symbol('UNIT_OF_WORK');

/** What the work of one transaction sees. */
export interface UnitOfWorkContext {
  /** Runs SQL inside the transaction; hand it to repositories. Never use the DataSource instead. */
  readonly manager: EntityManager;
  /**
   * Writes events to the service's outbox in this transaction, in call order; they are published
   * if and only if the transaction commits.
   */
  publish(topic: string, envelopes: readonly EventEnvelope[]): Promise<void>;
  /**
   * With `inbox`: the given event ids this consumer has not applied before, in the order given.
   * Without: empty.
   */
  readonly unseenEventIds: readonly string[];
}

export interface InboxClaim {
  /** The consumer whose inbox remembers the ids, e.g. `device-set.job-targets`. */
  consumer: string;
  /** Ids of the incoming events this work applies. */
  eventIds: readonly string[];
}

export interface UnitOfWorkOptions {
  /**
   * Claims these ids in the inbox first, in the same transaction: the work sees only the unseen
   * ones, and does not run at all when every id was seen before.
   */
  inbox?: InboxClaim;
  /** Default: the database's (READ COMMITTED). */
  isolation?: 'READ COMMITTED' | 'REPEATABLE READ' | 'SERIALIZABLE';
}

/**
 * The one way a service changes its state: a single transaction on the service's database that
 * also writes the outbox and, with an inbox claim, remembers the events it applied. The outbox
 * relay is woken after the commit, never before, and not at all when the work throws.
 */
export interface UnitOfWork {
  /** Resolves with the work's result, or rejects with its error after rolling everything back. */
  run<T>(work: (tx: UnitOfWorkContext) => Promise<T>, options?: Omit<UnitOfWorkOptions, 'inbox'>): Promise<T>;
  /** Resolves with `undefined`, without running the work, when every id of `options.inbox` was seen. */
  run<T>(work: (tx: UnitOfWorkContext) => Promise<T>, options: UnitOfWorkOptions & { inbox: InboxClaim }): Promise<T | undefined>;
  /**
   * One statement, in autocommit, that changes state and writes the events of what it changed to
   * the outbox itself (an `INSERT INTO <outbox> …` in a CTE over the rows it changed): the whole
   * unit of work in one round trip. The relay is woken after it when `published` rows were written.
   */
  runStatement<T>(work: (executor: DataSource, outbox: string) => Promise<{ result: T; published: number }>): Promise<T>;
}
