import type { EventEnvelope } from '@fleetjobs/contracts';
import type { DataSource, EntityManager } from 'typeorm';
import { InboxGuard } from '../inbox/inbox.guard';
import { OutboxWriter } from '../outbox/outbox.writer';
import type { UnitOfWork, UnitOfWorkContext, UnitOfWorkOptions } from './unit-of-work.port';

export interface PgUnitOfWorkOptions {
  dataSource: DataSource;
  /** The service schema holding its `outbox` and `inbox` tables. */
  schema: string;
  /** Called once after a transaction that wrote to the outbox has committed: wake the relay. */
  afterPublish?: () => void;
}

/** `UnitOfWork` on one service schema of a PostgreSQL (or PGlite) database. */
export class PgUnitOfWork implements UnitOfWork {
  private readonly outbox: OutboxWriter;
  private readonly inboxes = new Map<string, InboxGuard>();

  constructor(private readonly options: PgUnitOfWorkOptions) {
    this.outbox = new OutboxWriter(options.schema);
  }

  run<T>(work: (tx: UnitOfWorkContext) => Promise<T>, options?: Omit<UnitOfWorkOptions, 'inbox'>): Promise<T>;
  run<T>(work: (tx: UnitOfWorkContext) => Promise<T>, options: UnitOfWorkOptions): Promise<T | undefined>;
  async run<T>(work: (tx: UnitOfWorkContext) => Promise<T>, options: UnitOfWorkOptions = {}): Promise<T | undefined> {
    let published = 0;
    const body = async (manager: EntityManager): Promise<{ ran: boolean; value?: T }> => {
      let unseenEventIds: string[] = [];
      if (options.inbox) {
        const fresh = await this.inbox(options.inbox.consumer).claim(manager, [...options.inbox.eventIds]);
        unseenEventIds = [...new Set(options.inbox.eventIds)].filter((id) => fresh.has(id));
        if (unseenEventIds.length === 0) return { ran: false };
      }
      const context: UnitOfWorkContext = {
        manager,
        unseenEventIds,
        publish: async (topic: string, envelopes: readonly EventEnvelope[]) => {
          if (envelopes.length === 0) return;
          await this.outbox.write(manager, topic, [...envelopes]);
          published += envelopes.length;
        },
      };
      return { ran: true, value: await work(context) };
    };
    const outcome = options.isolation
      ? await this.options.dataSource.transaction(options.isolation, body)
      : await this.options.dataSource.transaction(body);
    // Only now is the outbox row visible to the relay; waking earlier would find nothing.
    if (published > 0) this.options.afterPublish?.();
    return outcome.ran ? outcome.value : undefined;
  }

  async runStatement<T>(work: (executor: DataSource, outbox: string) => Promise<{ result: T; published: number }>): Promise<T> {
    const { result, published } = await work(this.options.dataSource, `${this.options.schema}.outbox`);
    if (published > 0) this.options.afterPublish?.();
    return result;
  }

  private inbox(consumer: string): InboxGuard {
    let guard = this.inboxes.get(consumer);
    if (!guard) {
      guard = new InboxGuard(this.options.schema, consumer);
      this.inboxes.set(consumer, guard);
    }
    return guard;
  }
}
