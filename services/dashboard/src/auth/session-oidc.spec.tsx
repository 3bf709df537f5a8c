import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { fleetjobsApi } from '../api/fleetjobs-api.client';
import { App } from '../app.component';
import { stubApi } from '../testing/fake-api';
import { startSession } from './session';
import { setSession } from './session.store';

/** The OpenID provider as the session sees it: a signed-in user whose token the test renews or lets expire. */
const provider = vi.hoisted(() => ({
  user: { access_token: 'jwt-olga-1' } as { access_token: string } | null,
  renewed: (_token: string) => undefined as void,
  ended: () => undefined as void,
  signIns: [] as string[],
}));

vi.mock('./oidc-sign-in', () => ({
  OidcSignIn: class {
    static isCallback = () => false;
    manager = { removeUser: async () => void (provider.user = null) };
    currentUser = async () => provider.user;
    signIn = async (returnHash: string) => void provider.signIns.push(returnHash);
    watch(renewed: (token: string) => void, ended: () => void) {
      provider.renewed = renewed;
      provider.ended = ended;
      return () => undefined;
    }
  },
}));

describe('signed in through the OpenID provider', () => {
  it('uses the renewed access token, and asks to sign in again when the sign-in expires', async () => {
    const user = userEvent.setup();
    const api = stubApi({
      'GET /api/auth/config': () => ({ body: { mode: 'oidc', issuer: 'https://login.example', clientId: 'fleetjobs-dashboard', scopes: 'openid profile' } }),
      'GET /api/me': () => ({ body: { id: 'user:olga', name: 'olga', role: 'operator' } }),
      'GET /api/jobs': () => ({ body: { value: [], nextCursor: null } }),
    });
    window.history.replaceState(null, '', '/#/jobs');
    setSession({ status: 'starting' });
    await startSession();
    render(<App />);
    await screen.findByRole('heading', { name: 'Jobs' });
    expect(screen.getByTestId('session-name').textContent).toBe('olga');
    expect(api.requests.find((r) => r.path === '/api/me')?.headers.get('authorization')).toBe('Bearer jwt-olga-1');

    provider.renewed('jwt-olga-2');
    await fleetjobsApi.listJobs();
    expect(api.requests[api.requests.length - 1].headers.get('authorization')).toBe('Bearer jwt-olga-2');

    provider.ended();
    await waitFor(() => expect(screen.getByTestId('sign-in-message').textContent).toContain('Your session ended (the sign-in expired)'));
    await user.click(screen.getByRole('button', { name: 'Sign in with login.example' }));
    expect(provider.signIns).toEqual(['#/jobs']);
  });
});
