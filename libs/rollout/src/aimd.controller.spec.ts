import { AimdConfig, AimdController } from './aimd.controller';

const config: AimdConfig = {
  minPerMinute: 60,
  maxPerMinute: 600,
  startPerMinute: 240,
  stepPerMinute: 60,
  decreaseFactor: 0.5,
  maxLatencyMs: 5000,
  maxFailurePercent: 10,
};

describe('AimdController', () => {
  it('given a new controller, when nothing was observed, then it runs at its start rate', () => {
    expect(new AimdController(config).state).toEqual({ ratePerMinute: 240, reason: 'starting at 240/min' });
  });

  it('given a healthy window, when signalled, then the rate goes up by the step', () => {
    expect(new AimdController(config).onSignal({ failureRate: 0.01, latencyMs: 300 })).toEqual({
      ratePerMinute: 300,
      reason: 'healthy: 240 → 300/min',
      changed: true,
    });
  });

  it('given a 429 from the hub, when signalled, then the rate is halved and the reason says so', () => {
    expect(new AimdController(config).onSignal({ throttled: 3 })).toEqual({
      ratePerMinute: 120,
      reason: 'throttled by the hub (429): 240 → 120/min',
      changed: true,
    });
  });

  it('given a failure rate above the bound, when signalled, then the rate goes down', () => {
    expect(new AimdController(config).onSignal({ failureRate: 0.15 }).reason).toBe('failure rate 15 % > 10 %: 240 → 120/min');
  });

  it('given device latency above the bound, when signalled, then the rate goes down', () => {
    expect(new AimdController(config).onSignal({ latencyMs: 6200 }).reason).toBe('device latency 6200 ms > 5000 ms: 240 → 120/min');
  });

  it('given the floor, when trouble goes on, then the rate stays at the floor and says so', () => {
    const controller = new AimdController(config, { ratePerMinute: 60, reason: '' });
    expect(controller.onSignal({ throttled: true })).toEqual({
      ratePerMinute: 60,
      reason: 'throttled by the hub (429): held at the floor of 60/min',
      changed: false,
    });
  });

  it('given the ceiling, when healthy windows go on, then the rate stays at the ceiling', () => {
    const controller = new AimdController(config, { ratePerMinute: 580, reason: '' });
    expect(controller.onSignal({}).ratePerMinute).toBe(600);
    expect(controller.onSignal({})).toEqual({ ratePerMinute: 600, reason: 'healthy: held at the ceiling of 600/min', changed: false });
  });

  it('given a stored state, when rebuilt, then it carries on from that rate and reason', () => {
    const first = new AimdController(config);
    first.onSignal({ throttled: true });
    const rebuilt = new AimdController(config, first.state);
    expect(rebuilt.state).toEqual({ ratePerMinute: 120, reason: 'throttled by the hub (429): 240 → 120/min' });
    expect(rebuilt.onSignal({}).ratePerMinute).toBe(180);
  });
});
