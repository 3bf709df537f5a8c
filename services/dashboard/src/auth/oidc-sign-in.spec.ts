import { describe, expect, it } from 'vitest';
import { OidcSignIn } from './oidc-sign-in';

describe('sign-in with the OpenID provider', () => {
  it('is a public client using the authorization code with PKCE, coming back to the dashboard address', () => {
    window.history.replaceState(null, '', '/#/jobs');
    const { settings } = new OidcSignIn({ mode: 'oidc', issuer: 'https://login.example/realms/fleet', clientId: 'fleetjobs-dashboard', scopes: 'profile email' }).manager;
    expect(settings.authority).toBe('https://login.example/realms/fleet');
    expect(settings.client_id).toBe('fleetjobs-dashboard');
    expect(settings.client_secret).toBeUndefined();
    expect(settings.response_type).toBe('code');
    expect(settings.disablePKCE).toBe(false);
    expect(settings.scope).toBe('openid profile email');
    expect(settings.redirect_uri).toBe('http://localhost:3000/');
    expect(settings.post_logout_redirect_uri).toBe('http://localhost:3000/');
  });

  it('asks for openid once when the scopes name it already', () => {
    const { settings } = new OidcSignIn({ mode: 'oidc', issuer: 'https://login.example', clientId: 'c', scopes: 'openid  offline_access' }).manager;
    expect(settings.scope).toBe('openid offline_access');
  });

  it("recognises the provider's answer in the address: a code or an error, with the state", () => {
    const at = (search: string) => ({ search }) as Location;
    expect(OidcSignIn.isCallback(at('?code=abc&state=xyz'))).toBe(true);
    expect(OidcSignIn.isCallback(at('?error=access_denied&state=xyz'))).toBe(true);
    expect(OidcSignIn.isCallback(at('?code=abc'))).toBe(false);
    expect(OidcSignIn.isCallback(at(''))).toBe(false);
  });

  it('needs the issuer and the client id', () => {
    expect(() => new OidcSignIn({ mode: 'oidc', issuer: 'https://login.example' })).toThrow(/clientId/);
  });
});
