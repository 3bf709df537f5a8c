import { Decider, foldEvents } from './decider';

/** A command for the decider, or a decision taken directly on the current state. */
export type CommandOrDecision<TCommand, TEvent, TState> = TCommand | ((state: TState) => TEvent[]);

/** What one decision on a stream produced: the new events and the state after them. */
export interface StreamDecision<TEvent, TState> {
  state: TState;
  events: TEvent[];
}

/**
 * Folds the stream's history, decides, and evolves the state by the new events. Commands are
 * plain data, so a function is always a decision on the state.
 */
export function decideOnHistory<TCommand, TEvent, TState>(
  decider: Decider<TCommand, TEvent, TState>,
  history: readonly TEvent[],
  command: CommandOrDecision<TCommand, TEvent, TState>,
): StreamDecision<TEvent, TState> & { before: TState } {
  const before = foldEvents(decider, history);
  const events =
    typeof command === 'function' ? (command as (state: TState) => TEvent[])(before) : decider.decide(command, before);
  return { before, state: events.reduce(decider.evolve, before), events };
}
