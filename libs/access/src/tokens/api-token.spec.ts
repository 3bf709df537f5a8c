import { hashSecret, looksLikeApiToken, mintApiToken, parseApiToken, secretMatches } from './api-token';

describe('API tokens', () => {
  it('mints fjt_<id>_<secret> with a 32-byte base64url secret', () => {
    const { id, token } = mintApiToken();
    expect(token).toMatch(/^fjt_[a-z0-9]{12}_[A-Za-z0-9_-]{43}$/);
    expect(parseApiToken(token)).toEqual({ id, secret: token.slice(`fjt_${id}_`.length) });
  });

  it('stores only the SHA-256 of the secret', () => {
    const { secretHash, token } = mintApiToken();
    const { secret } = parseApiToken(token)!;
    expect(secretHash).toBe(hashSecret(secret));
    expect(secretHash).toMatch(/^[0-9a-f]{64}$/);
    expect(token).not.toContain(secretHash);
  });

  it('mints a different token each time', () => {
    const tokens = new Set(Array.from({ length: 50 }, () => mintApiToken().token));
    expect(tokens.size).toBe(50);
  });

  it('reads a secret holding underscores and dashes as one secret after the id', () => {
    expect(parseApiToken('fjt_bootstrap_ab_cd-ef_ghijklmnopqrstuvwxyzABCDEFGHIJ')).toEqual({
      id: 'bootstrap',
      secret: 'ab_cd-ef_ghijklmnopqrstuvwxyzABCDEFGHIJ',
    });
  });

  it.each(['', 'fjt_', 'fjt_abc', 'fjt_abc_short', 'fjt_ABC_' + 'x'.repeat(43), 'xjt_abc_' + 'x'.repeat(43), 'fjt_abc_' + 'x'.repeat(40) + '=='])(
    'refuses the malformed token %j',
    (token) => {
      expect(parseApiToken(token)).toBeNull();
    },
  );

  it('tells API tokens from JWTs by their prefix', () => {
    expect(looksLikeApiToken(mintApiToken().token)).toBe(true);
    expect(looksLikeApiToken('eyJhbGciOiJSUzI1NiJ9.e30.sig')).toBe(false);
  });

  it('matches the right secret only', () => {
    const { secretHash, token } = mintApiToken();
    const { secret } = parseApiToken(token)!;
    expect(secretMatches(secret, secretHash)).toBe(true);
    expect(secretMatches(secret + 'x', secretHash)).toBe(false);
    expect(secretMatches(secret, 'not-hex')).toBe(false);
  });
});
