import { Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { trimInbox } from './inbox.guard';

export interface InboxTrimmerOptions {
  dataSource: DataSource;
  schema: string;
  /** Entries older than this are forgotten. Default 7 days: redeliveries come far sooner. */
  retentionDays?: number;
  /** Time between trims. Default one hour. */
  intervalMs?: number;
}

export const DEFAULT_INBOX_RETENTION_DAYS = 7;

/** Keeps a schema's inbox bounded: forgets, periodically, the events applied longer ago than the retention. */
export class InboxTrimmer {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<number> | null = null;
  private readonly logger = new Logger(InboxTrimmer.name);

  constructor(private readonly options: InboxTrimmerOptions) {}

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.trimNow().catch(() => undefined), this.options.intervalMs ?? 3_600_000);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running?.catch(() => undefined);
  }

  /** One trim now; a trim already under way is joined rather than doubled. Resolves to the entries deleted. */
  trimNow(): Promise<number> {
    this.running ??= trimInbox(this.options.dataSource, this.options.schema, this.options.retentionDays ?? DEFAULT_INBOX_RETENTION_DAYS)
      .catch((error: unknown) => {
        this.logger.warn(`trimming the inbox of ${this.options.schema} failed: ${String(error)}`);
        throw error;
      })
      .finally(() => (this.running = null));
    return this.running;
  }
}
