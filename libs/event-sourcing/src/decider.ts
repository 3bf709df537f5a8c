/**
 * A decider: the pure core of one stream type. `decide` turns a command into new events given
 * the current state (or throws a DomainError); `evolve` folds an event into the state.
 * No I/O, no clock, no random ids: the caller passes those in the command.
 */
export interface Decider<TCommand, TEvent, TState> {
  decide(command: TCommand, state: TState): TEvent[];
  evolve(state: TState, event: TEvent): TState;
  initialState(): TState;
}

export function foldEvents<TEvent, TState>(
  decider: Pick<Decider<unknown, TEvent, TState>, 'evolve' | 'initialState'>,
  events: readonly TEvent[],
): TState {
  return events.reduce(decider.evolve, decider.initialState());
}

/** A broken business rule; `code` is stable and maps to an HTTP status at the edge. */
export abstract class DomainError extends Error {
  abstract readonly code: string;
}

export function assertNever(value: never): never {
  throw new Error(`unexpected value ${JSON.stringify(value)}`);
}
