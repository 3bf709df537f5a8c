import { Actor, EventEnvelope, makeEnvelope } from '@fleetjobs/contracts';
import { CommandOrDecision, Decider, decideOnHistory, foldEvents } from '@fleetjobs/event-sourcing';
import type { UnitOfWork, UnitOfWorkContext } from '../unit-of-work/unit-of-work.port';
import { PgEventStore, StreamVersionConflictError } from './pg-event-store';

/** The shape every stored domain event has: its type name and its data. */
export interface StreamEvent {
  type: string;
  data: unknown;
}

export interface EventSourcedCommandHandlerOptions<TEvent extends StreamEvent> {
  /** The stream table; its topic is where new events are published. */
  store: PgEventStore;
  /** The service's unit of work: events and outbox commit in one transaction, the relay wakes after. */
  uow: UnitOfWork;
  /** `source` of every new event, e.g. `/fleetjobs/job-command`. */
  source: string;
  /** Reads a stored envelope back as a domain event, validating and upcasting old versions; `null` skips it. */
  toEvent(envelope: EventEnvelope): TEvent | null;
  /** Version of a new event's data schema. Default 1. */
  versionOf?(event: TEvent): number;
  /** An id derived from the fact, for events that may be decided again; a random UUID when absent. */
  eventId?(event: TEvent, streamId: string, position: number): string | undefined;
  /** Decisions taken again after losing a race to another writer, first one included. Default 10. */
  maxAttempts?: number;
  clock?: () => Date;
}

export interface CommandMetadata {
  correlationId?: string;
  causationId?: string;
  /** Who sent the command; every event it decides carries them. Absent when the system decides by itself. */
  actor?: Actor;
}

export interface HandleOptions<TEvent, TState> {
  /** Writes more in the same transaction, e.g. a row that must commit together with the events. */
  alsoInTx?: (tx: UnitOfWorkContext, events: TEvent[], state: TState) => Promise<void>;
}

export interface HandledCommand<TEvent, TState> {
  /** The stream's state after the new events. */
  state: TState;
  /** The new events; empty when the command changed nothing. */
  events: TEvent[];
  envelopes: EventEnvelope[];
  /** The stream's version after the new events. */
  version: number;
}

/**
 * Runs commands on event-sourced streams: read the stream, fold it, decide, and append the new
 * events at the version read, together with their outbox rows, in one unit of work. When another
 * writer appended first the store refuses, and the whole decision is taken again on fresh state.
 */
export class EventSourcedCommandHandler<TCommand, TEvent extends StreamEvent, TState> {
  private readonly maxAttempts: number;
  private readonly clock: () => Date;

  constructor(
    private readonly decider: Decider<TCommand, TEvent, TState>,
    private readonly options: EventSourcedCommandHandlerOptions<TEvent>,
  ) {
    this.maxAttempts = options.maxAttempts ?? 10;
    this.clock = options.clock ?? (() => new Date());
  }

  /** The stream's current state, without deciding anything. */
  async load(streamId: string): Promise<TState> {
    return this.options.uow.run(async (tx) => foldEvents(this.decider, (await this.read(tx, streamId)).history));
  }

  /** Rejects with the decider's DomainError, or with StreamVersionConflictError after `maxAttempts` lost races. */
  async handle(
    streamId: string,
    command: CommandOrDecision<TCommand, TEvent, TState>,
    metadata: CommandMetadata = {},
    options: HandleOptions<TEvent, TState> = {},
  ): Promise<HandledCommand<TEvent, TState>> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await this.options.uow.run((tx) => this.decideOnce(tx, streamId, command, metadata, options));
      } catch (error) {
        if (error instanceof StreamVersionConflictError && attempt < this.maxAttempts) continue;
        throw error;
      }
    }
  }

  private async decideOnce(
    tx: UnitOfWorkContext,
    streamId: string,
    command: CommandOrDecision<TCommand, TEvent, TState>,
    metadata: CommandMetadata,
    options: HandleOptions<TEvent, TState>,
  ): Promise<HandledCommand<TEvent, TState>> {
    const { store } = this.options;
    const { version, history } = await this.read(tx, streamId);
    const { state, events } = decideOnHistory(this.decider, history, command);
    const now = this.clock();
    const envelopes = events.map((event, index) =>
      makeEnvelope({
        id: this.options.eventId?.(event, streamId, version + index + 1),
        type: event.type,
        version: this.options.versionOf?.(event) ?? 1,
        source: this.options.source,
        subject: streamId,
        data: event.data,
        correlationId: metadata.correlationId,
        causationId: metadata.causationId,
        actor: metadata.actor,
        now,
      }),
    );
    await store.appendEvents(tx.manager, streamId, version, envelopes);
    await tx.publish(store.topic, envelopes);
    await options.alsoInTx?.(tx, events, state);
    return { state, events, envelopes, version: version + events.length };
  }

  /** The version counts every stored event, also those `toEvent` skips, as the store's does. */
  private async read(tx: UnitOfWorkContext, streamId: string): Promise<{ version: number; history: TEvent[] }> {
    const stored = await this.options.store.read(tx.manager, streamId);
    return { version: stored.length, history: stored.map((envelope) => this.options.toEvent(envelope)).filter(isPresent) };
  }
}

function isPresent<T>(value: T | null): value is T {
  return value !== null;
}
