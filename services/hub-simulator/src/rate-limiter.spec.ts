import { RateLimiter } from './rate-limiter';

describe('RateLimiter', () => {
  it('lets everything through without a limit', () => {
    const limiter = new RateLimiter(null, 0);
    for (let i = 0; i < 1000; i++) expect(limiter.take(0)).toBe(0);
  });

  it('allows a burst of one second, then answers how long to wait', () => {
    const limiter = new RateLimiter(2, 0);
    expect(limiter.take(0)).toBe(0);
    expect(limiter.take(0)).toBe(0);
    expect(limiter.take(0)).toBe(500);
    expect(limiter.take(500)).toBe(0);
  });

  it('can change the limit while running', () => {
    const limiter = new RateLimiter(1, 0);
    expect(limiter.take(0)).toBe(0);
    expect(limiter.take(0)).toBeGreaterThan(0);
    limiter.setLimit(null, 0);
    expect(limiter.take(0)).toBe(0);
  });
});
