import { JobDevicePacer } from './hub-job.pacer';

describe('job device pacer', () => {
  it('spaces slots at the rate, for every caller together', () => {
    const pacer = new JobDevicePacer(() => 10);
    expect([pacer.take(1000), pacer.take(1000), pacer.take(1000), pacer.take(1150)]).toEqual([0, 100, 200, 150]);
  });

  it('does not bank unused time: after a pause the next slot is now', () => {
    const pacer = new JobDevicePacer(() => 10);
    pacer.take(0);
    expect(pacer.take(5000)).toBe(0);
    expect(pacer.take(5000)).toBe(100);
  });

  it('lets everything through at once without a throttle', () => {
    const pacer = new JobDevicePacer(() => null);
    expect([pacer.take(0), pacer.take(0), pacer.take(0)]).toEqual([0, 0, 0]);
  });
});
