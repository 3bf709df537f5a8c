import { HubRateLimiter } from './hub-rate.limiter';

describe('HubRateLimiter', () => {
  it('lets a full bucket through, then asks to wait for the next token', () => {
    let now = 1_000;
    const limiter = new HubRateLimiter(2, () => now);
    expect(limiter.tryAcquire()).toBe(0);
    expect(limiter.tryAcquire()).toBe(0);
    expect(limiter.tryAcquire()).toBe(500);
    now += 500;
    expect(limiter.tryAcquire()).toBe(0);
  });

  it('holds every caller during a pause after throttling', () => {
    let now = 1_000;
    const limiter = new HubRateLimiter(0, () => now);
    expect(limiter.tryAcquire()).toBe(0);
    limiter.pause(300);
    expect(limiter.tryAcquire()).toBe(300);
    now += 300;
    expect(limiter.tryAcquire()).toBe(0);
  });
});
