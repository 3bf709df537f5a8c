import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { LivenessRegistry, ReadinessRegistry } from '@fleetjobs/http-kit';
import { EVENT_LOG, EventLog } from '@fleetjobs/messaging';
import { DEFAULT_INBOX_RETENTION_DAYS, InboxTrimmer, OutboxRelay, registerOutboxMetrics } from '@fleetjobs/persistence-pg';
import { DataSource } from 'typeorm';
import { DATA_SOURCE } from './infra.tokens';

/**
 * The outbox relay of one service schema, started with the app and stopped on shutdown, with
 * the schema's inbox trimming and outbox metrics. A dead relay loop fails liveness.
 * Services subclass it to bind their schema: `class DeviceSetOutbox extends ServiceOutbox {}`.
 */
@Injectable()
export abstract class ServiceOutbox implements OnApplicationBootstrap, OnApplicationShutdown {
  protected abstract readonly schema: string;
  private relay: OutboxRelay | null = null;
  private trimmer: InboxTrimmer | null = null;
  private unwatchMetrics: (() => void) | null = null;
  private readonly logger = new Logger(this.constructor.name);

  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    @Inject(EVENT_LOG) private readonly eventLog: EventLog,
    private readonly readiness: ReadinessRegistry,
    private readonly liveness: LivenessRegistry,
  ) {}

  onApplicationBootstrap(): void {
    const relay = new OutboxRelay({
      dataSource: this.dataSource,
      schema: this.schema,
      eventLog: this.eventLog,
      onError: (error) => this.logger.warn(`outbox publish failed: ${String(error)}`),
    });
    this.relay = relay;
    relay.start();
    this.trimmer = new InboxTrimmer({ dataSource: this.dataSource, schema: this.schema, retentionDays: inboxRetentionDaysFromEnv() });
    this.trimmer.start();
    this.unwatchMetrics = registerOutboxMetrics(this.dataSource, this.schema);
    this.readiness.add({ name: `${this.schema}-database`, check: async () => (await this.dataSource.query('SELECT 1')).length === 1 });
    this.liveness.add({ name: `${this.schema}-outbox-relay`, check: async () => relay.isAlive() });
  }

  /** Publish soon: a transaction just committed new outbox rows. */
  wake(): void {
    this.relay?.wake();
  }

  async onApplicationShutdown(): Promise<void> {
    this.unwatchMetrics?.();
    await this.trimmer?.stop();
    await this.relay?.stop();
  }
}

/** `INBOX_RETENTION_DAYS`: how long consumers remember applied event ids (default 7, at least 1). */
export function inboxRetentionDaysFromEnv(raw: string | undefined = process.env.INBOX_RETENTION_DAYS): number {
  if (raw === undefined || raw.trim() === '') return DEFAULT_INBOX_RETENTION_DAYS;
  const days = Number(raw);
  if (!Number.isFinite(days) || days < 1) {
    throw new Error(`INBOX_RETENTION_DAYS must be a number of days, 1 or more, got "${raw}"`);
  }
  return days;
}
