import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { ReadinessRegistry } from '@fleetjobs/http-kit';
import { EVENT_LOG, EventLog } from '@fleetjobs/messaging';
import { OutboxRelay } from '@fleetjobs/persistence-pg';
import { DataSource } from 'typeorm';
import { DATA_SOURCE } from './infra.tokens';

/**
 * The outbox relay of one service schema, started with the app and stopped on shutdown.
 * Services subclass it to bind their schema: `class DeviceSetOutbox extends ServiceOutbox {}`.
 */
@Injectable()
export abstract class ServiceOutbox implements OnApplicationBootstrap, OnApplicationShutdown {
  protected abstract readonly schema: string;
  private relay: OutboxRelay | null = null;
  private readonly logger = new Logger(this.constructor.name);

  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    @Inject(EVENT_LOG) private readonly eventLog: EventLog,
    private readonly readiness: ReadinessRegistry,
  ) {}

  onApplicationBootstrap(): void {
    this.relay = new OutboxRelay({
      dataSource: this.dataSource,
      schema: this.schema,
      eventLog: this.eventLog,
      onError: (error) => this.logger.warn(`outbox publish failed: ${String(error)}`),
    });
    this.relay.start();
    this.readiness.add({ name: `${this.schema}-database`, check: async () => (await this.dataSource.query('SELECT 1')).length === 1 });
  }

  /** Publish soon: a transaction just committed new outbox rows. */
  wake(): void {
    this.relay?.wake();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.relay?.stop();
  }
}
