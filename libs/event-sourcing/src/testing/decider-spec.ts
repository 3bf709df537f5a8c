import { Decider, foldEvents } from '../decider';

/**
 * given(events).when(command).then(events) / .thenThrows(ErrorClass), for pure deciders.
 */
export function deciderSpec<TCommand, TEvent, TState>(decider: Decider<TCommand, TEvent, TState>) {
  return {
    given(events: TEvent[]) {
      return {
        when(command: TCommand) {
          const run = () => decider.decide(command, foldEvents(decider, events));
          return {
            then(expected: TEvent[]) {
              expect(run()).toEqual(expected);
            },
            thenThrows(errorType: new (...args: never[]) => Error) {
              expect(run).toThrow(errorType);
            },
          };
        },
      };
    },
  };
}
