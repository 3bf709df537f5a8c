import { decideDispatchFinish, DispatchProgress } from './dispatch-finish.decider';

const running = (overrides: Partial<DispatchProgress> = {}): DispatchProgress => ({
  defined: true,
  targetsComplete: true,
  halted: false,
  paused: false,
  inFlight: 0,
  pending: 0,
  ...overrides,
});

describe('decideDispatchFinish', () => {
  it('finishes a job whose every device is concluded', () => {
    expect(decideDispatchFinish(running())).toEqual({ finished: true, halted: false });
  });

  it('waits while devices are pending', () => {
    expect(decideDispatchFinish(running({ pending: 1 }))).toEqual({ finished: false });
  });

  it('waits while a device is in flight, even when halted', () => {
    expect(decideDispatchFinish(running({ inFlight: 1, halted: true }))).toEqual({ finished: false });
  });

  it('finishes a halted job with devices still pending: they never start', () => {
    expect(decideDispatchFinish(running({ pending: 40, halted: true }))).toEqual({ finished: true, halted: true });
  });

  it('waits while paused, even when every device is concluded', () => {
    expect(decideDispatchFinish(running({ paused: true }))).toEqual({ finished: false });
  });

  it('finishes a paused job once it is stopped', () => {
    expect(decideDispatchFinish(running({ pending: 40, paused: true, halted: true }))).toEqual({ finished: true, halted: true });
  });

  it('waits for the last chunk of targets', () => {
    expect(decideDispatchFinish(running({ targetsComplete: false }))).toEqual({ finished: false });
  });

  it('waits for the job definition, even when every known target is done', () => {
    expect(decideDispatchFinish(running({ defined: false }))).toEqual({ finished: false });
  });
});
