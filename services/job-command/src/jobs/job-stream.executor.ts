import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { EventEnvelope, parseEvent, TOPICS } from '@fleetjobs/contracts';
import { foldEvents } from '@fleetjobs/event-sourcing';
import { PgEventStore, StreamVersionConflictError } from '@fleetjobs/persistence-pg';
import { DATA_SOURCE } from '@fleetjobs/runtime';
import { DataSource, EntityManager } from 'typeorm';
import { JOB_COMMAND_SCHEMA, JOB_COMMAND_SOURCE } from '../job-command.schema';
import { JobCommandOutbox } from '../job-command.outbox';
import { JobEvent, jobDecider, JobState } from './job.decider';

const MAX_ATTEMPTS = 5;

export interface Decision {
  state: JobState;
  events: JobEvent[];
}

/**
 * Runs one decision on a job's stream: read, fold, decide, append with the version read. A
 * concurrent append makes the store refuse; the whole decision is then taken again on fresh state.
 */
@Injectable()
export class JobStreamExecutor {
  private readonly store = new PgEventStore(JOB_COMMAND_SCHEMA, TOPICS.jobs);

  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    private readonly outbox: JobCommandOutbox,
  ) {}

  async load(jobId: string): Promise<JobState> {
    const history = await this.store.read(this.dataSource, jobId);
    return foldEvents(jobDecider, history.map(toJobEvent).filter(isJobEvent));
  }

  async execute(
    jobId: string,
    decide: (state: JobState) => JobEvent[],
    metadata: { correlationId?: string; causationId?: string } = {},
    alsoInTransaction?: (tx: EntityManager, decision: Decision) => Promise<void>,
  ): Promise<Decision> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        const decision = await this.dataSource.transaction(async (tx) => {
          const history = await this.store.read(tx, jobId);
          const state = foldEvents(jobDecider, history.map(toJobEvent).filter(isJobEvent));
          const events = decide(state);
          const now = new Date().toISOString();
          const envelopes: EventEnvelope[] = events.map((event) => ({
            id: randomUUID(),
            type: event.type,
            version: 1,
            source: JOB_COMMAND_SOURCE,
            subject: jobId,
            time: now,
            correlationId: metadata.correlationId,
            causationId: metadata.causationId,
            data: event.data,
          }));
          await this.store.append(tx, jobId, history.length, envelopes);
          const decided = { state: events.reduce(jobDecider.evolve, state), events };
          await alsoInTransaction?.(tx, decided);
          return decided;
        });
        if (decision.events.length > 0) this.outbox.wake();
        return decision;
      } catch (error) {
        if (error instanceof StreamVersionConflictError && attempt < MAX_ATTEMPTS) continue;
        throw error;
      }
    }
  }
}

function toJobEvent(envelope: EventEnvelope): JobEvent | null {
  const parsed = parseEvent(envelope);
  return parsed ? ({ type: parsed.type, data: parsed.data } as JobEvent) : null;
}

function isJobEvent(event: JobEvent | null): event is JobEvent {
  return event !== null;
}
