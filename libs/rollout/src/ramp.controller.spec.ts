import { RampController } from './ramp.controller';

const ramp = { startPerMinute: 60, factor: 2, afterSuccesses: 3 };

describe('RampController', () => {
  it('given a new ramp, when nothing happened yet, then it runs at its start rate', () => {
    expect(new RampController(ramp, 600).ratePerMinute).toBe(60);
  });

  it('given a ramp, when fewer successes than the step arrive, then the rate holds', () => {
    const controller = new RampController(ramp, 600);
    expect([controller.onSuccess(), controller.onSuccess()]).toEqual([60, 60]);
  });

  it('given a ramp, when the step of successes arrives, then the rate is multiplied by the factor', () => {
    const controller = new RampController(ramp, 600);
    controller.onSuccess();
    controller.onSuccess();
    expect(controller.onSuccess()).toBe(120);
  });

  it('given a ramp near its cap, when it steps, then it stops at the cap', () => {
    const controller = new RampController(ramp, 200, { ratePerMinute: 120, successesSinceIncrease: 2 });
    expect(controller.onSuccess()).toBe(200);
    expect([controller.onSuccess(), controller.onSuccess(), controller.onSuccess()]).toEqual([200, 200, 200]);
  });

  it('given a stored state, when the controller is rebuilt from it, then it carries on where it was', () => {
    const first = new RampController(ramp, 600);
    first.onSuccess();
    first.onSuccess();
    const rebuilt = new RampController(ramp, 600, first.state);
    expect(rebuilt.onSuccess()).toBe(120);
  });

  it('given a success count, when asked for the rate after it, then it equals the rate reached one success at a time', () => {
    const controller = new RampController(ramp, 600);
    for (let i = 0; i < 10; i++) controller.onSuccess();
    expect(controller.rateAfter(10)).toBe(controller.ratePerMinute);
    expect(controller.rateAfter(1000)).toBe(600);
  });
});
