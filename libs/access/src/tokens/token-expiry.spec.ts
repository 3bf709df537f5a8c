import { tokenExpiry, tokenIsLive } from './token-expiry';

const now = new Date('2026-12-04T12:00:00.000Z');

describe('tokenExpiry', () => {
  it('defaults to 90 days ahead', () => {
    expect(tokenExpiry(undefined, now)).toEqual({ expiresAt: new Date('2027-03-04T12:00:00.000Z') });
  });

  it('takes a time in the future within a year', () => {
    expect(tokenExpiry('2027-01-01T00:00:00+01:00', now)).toEqual({ expiresAt: new Date('2026-12-31T23:00:00.000Z') });
    expect(tokenExpiry('2027-12-04T12:00:00Z', now)).toEqual({ expiresAt: new Date('2027-12-04T12:00:00.000Z') });
  });

  it.each([
    ['2026-12-04T12:00:00Z', 'must be in the future'],
    ['2020-01-01T00:00:00Z', 'must be in the future'],
    ['2027-12-04T12:00:01Z', 'must be at most 365 days ahead'],
    ['+275760-09-13T00:00:00Z', 'must be an ISO 8601 date-time'],
    ['2027-01-01', 'must be an ISO 8601 date-time'],
    ['2027-02-30T00:00:00Z', 'must be an ISO 8601 date-time'],
    ['tomorrow', 'must be an ISO 8601 date-time'],
  ])('refuses %s: %s', (requested, message) => {
    expect(tokenExpiry(requested, now)).toEqual({ error: expect.stringContaining(message) });
  });
});

describe('tokenIsLive', () => {
  it('holds before expiry, not at or after it, never when revoked, always without expiry', () => {
    expect(tokenIsLive({ expiresAt: new Date(now.getTime() + 1), revokedAt: null }, now)).toBe(true);
    expect(tokenIsLive({ expiresAt: now, revokedAt: null }, now)).toBe(false);
    expect(tokenIsLive({ expiresAt: null, revokedAt: null }, now)).toBe(true);
    expect(tokenIsLive({ expiresAt: null, revokedAt: now }, now)).toBe(false);
  });
});
