import { Decider } from './decider';
import { decideOnHistory } from './stream-decision';

type Event = { type: 'Added'; data: { amount: number } };
type Command = { type: 'Add'; amount: number } | { type: 'Cap'; max: number };

const counter: Decider<Command, Event, { total: number }> = {
  initialState: () => ({ total: 0 }),
  evolve: (state, event) => ({ total: state.total + event.data.amount }),
  decide: (command, state) => {
    if (command.type === 'Add') return [{ type: 'Added', data: { amount: command.amount } }];
    return state.total > command.max ? [{ type: 'Added', data: { amount: command.max - state.total } }] : [];
  },
};
const added = (amount: number): Event => ({ type: 'Added', data: { amount } });

describe('decideOnHistory', () => {
  it('decides a command on the folded history and evolves the state by the new events', () => {
    expect(decideOnHistory(counter, [added(2), added(3)], { type: 'Cap', max: 4 })).toEqual({
      before: { total: 5 },
      events: [added(-1)],
      state: { total: 4 },
    });
  });

  it('starts from the initial state on an empty stream', () => {
    expect(decideOnHistory(counter, [], { type: 'Add', amount: 7 })).toEqual({
      before: { total: 0 },
      events: [added(7)],
      state: { total: 7 },
    });
  });

  it('runs a decision given as a function on the current state instead of the decider', () => {
    const decision = decideOnHistory(counter, [added(2)], (state) => [added(state.total * 10)]);
    expect(decision.events).toEqual([added(20)]);
    expect(decision.state).toEqual({ total: 22 });
  });

  it('leaves the state as it was when nothing is decided', () => {
    expect(decideOnHistory(counter, [added(1)], { type: 'Cap', max: 9 })).toEqual({
      before: { total: 1 },
      events: [],
      state: { total: 1 },
    });
  });
});
