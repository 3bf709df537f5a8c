import { Inject, Injectable } from '@nestjs/common';
import { EventEnvelope } from '@fleetjobs/contracts';
import { DATA_SOURCE } from '@fleetjobs/runtime';
import { DataSource } from 'typeorm';
import { auditEntriesOf } from './audit.projection';
import { insertAuditEntries } from './audit-entries.repository';

/**
 * Records the commands of a batch of the devices or access topic. A batch without an event that
 * records a command (most of them) costs no query. The jobs topic records its commands in the
 * job batch's own transaction (JobBatchHandler).
 */
@Injectable()
export class AuditEntriesHandler {
  constructor(@Inject(DATA_SOURCE) private readonly dataSource: DataSource) {}

  async apply(events: readonly EventEnvelope[]): Promise<void> {
    const entries = auditEntriesOf(events);
    if (entries.length === 0) return;
    // A failure part way leaves some entries written; the redelivered batch writes the rest.
    await insertAuditEntries(this.dataSource, entries);
  }
}
