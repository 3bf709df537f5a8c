import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it } from 'vitest';
import { App } from '../app.component';
import { FakeAnswer, SeenRequest, stubApi } from '../testing/fake-api';
import { aJob } from '../testing/fixtures';
import { readStoredToken, storeToken } from './api-token.storage';
import { Me } from './roles';
import { startSession, watchSignInLinks } from './session';
import { setSession } from './session.store';

const ADMIN_TOKEN = 'fjt_adm1n_s3cr3t';
const people: Record<string, Me> = {
  [ADMIN_TOKEN]: { id: 'token:adm1n', name: 'quick start administrator', role: 'administrator' },
  fjt_v13w_s3cr3t: { id: 'token:v13w', name: 'wall screen', role: 'viewer' },
};
const unauthorized: FakeAnswer = { status: 401, body: { title: 'Unauthorized', status: 401, detail: 'The API token was revoked.' } };

function bearerOf(request: SeenRequest): string | undefined {
  return request.headers.get('authorization')?.replace(/^Bearer /, '');
}

function authenticated(answer: () => FakeAnswer) {
  return (request: SeenRequest) => (people[bearerOf(request) ?? ''] ? answer() : unauthorized);
}

let api: ReturnType<typeof stubApi>;
let mode: 'token' | 'off' = 'token';

async function startApp(address: string) {
  window.history.replaceState(null, '', address);
  setSession({ status: 'starting' });
  const started = startSession();
  render(<App />);
  await started;
}

describe('signing in and out', () => {
  beforeEach(() => {
    mode = 'token';
    api = stubApi({
      'GET /api/auth/config': () => ({ body: { mode } }),
      'GET /api/me': (request) => {
        const me = people[bearerOf(request) ?? ''];
        if (mode === 'off') return { body: { id: 'local:anonymous', name: 'anonymous (authentication off)', role: 'administrator' } };
        return me ? { body: me } : unauthorized;
      },
      'GET /api/jobs': authenticated(() => ({ body: { value: [aJob()], nextCursor: null } })),
      'GET /api/devices': authenticated(() => ({ body: { value: [], nextCursor: null } })),
      'GET /api/device-templates': authenticated(() => ({ body: { value: [], nextCursor: null } })),
    });
  });

  it('asks to sign in when no credential is kept, and signs in with a pasted API token', async () => {
    const user = userEvent.setup();
    await startApp('/#/jobs');
    await screen.findByRole('heading', { name: 'Sign in' });
    expect(screen.queryByRole('navigation', { name: 'Main' })).toBeNull();
    expect(api.requests.some((r) => r.path === '/api/jobs')).toBe(false);

    await user.type(screen.getByLabelText('API token'), ADMIN_TOKEN);
    await user.click(screen.getByRole('button', { name: 'Sign in with token' }));

    await screen.findByRole('heading', { name: 'Jobs' });
    expect(screen.getByTestId('session-name').textContent).toBe('quick start administrator');
    expect(screen.getByTestId('session-role').textContent).toBe('administrator');
    expect(readStoredToken()).toBe(ADMIN_TOKEN);
    const jobsCall = api.requests.find((r) => r.path === '/api/jobs');
    expect(jobsCall?.headers.get('authorization')).toBe(`Bearer ${ADMIN_TOKEN}`);
  });

  it('says why a pasted token was refused and keeps nothing', async () => {
    const user = userEvent.setup();
    await startApp('/#/jobs');
    await user.type(await screen.findByLabelText('API token'), 'fjt_wrong_token');
    await user.click(screen.getByRole('button', { name: 'Sign in with token' }));
    expect((await screen.findByRole('alert')).textContent).toContain('The API did not accept this token: The API token was revoked.');
    expect(readStoredToken()).toBeUndefined();
    expect(screen.queryByTestId('session')).toBeNull();
  });

  it('signs in from a one-time link: the token leaves the address bar and every call carries it', async () => {
    await startApp(`/#/sign-in?token=${ADMIN_TOKEN}`);
    await screen.findByRole('heading', { name: 'Jobs' });
    expect(window.location.href).not.toContain(ADMIN_TOKEN);
    expect(window.location.hash).toBe('#/jobs');
    expect(readStoredToken()).toBe(ADMIN_TOKEN);
    for (const request of api.requests) {
      expect(request.query.toString()).not.toContain(ADMIN_TOKEN);
      if (request.path !== '/api/auth/config') expect(request.headers.get('authorization')).toBe(`Bearer ${ADMIN_TOKEN}`);
    }
  });

  it('shows who is signed in with their role, and signs out', async () => {
    const user = userEvent.setup();
    storeToken('fjt_v13w_s3cr3t');
    await startApp('/#/jobs');
    const session = await screen.findByTestId('session');
    expect(within(session).getByText('wall screen')).toBeTruthy();
    expect(within(session).getByTestId('session-role').textContent).toBe('viewer');

    await user.click(within(session).getByRole('button', { name: 'Sign out' }));
    await screen.findByRole('heading', { name: 'Sign in' });
    expect(screen.getByTestId('sign-in-message').textContent).toBe('You signed out.');
    expect(readStoredToken()).toBeUndefined();
  });

  it('sends the user to sign in again when the API refuses the credential (401), keeping the screen', async () => {
    storeToken(ADMIN_TOKEN);
    await startApp('/#/jobs');
    await screen.findByRole('heading', { name: 'Jobs' });
    delete people[ADMIN_TOKEN];
    try {
      window.location.hash = '/devices';
      await waitFor(() => expect(screen.getByTestId('sign-in-message').textContent).toContain('The API token was revoked.'));
      expect(screen.getByRole('heading', { name: 'Sign in' })).toBeTruthy();
      expect(window.location.hash).toBe('#/devices');
      expect(readStoredToken()).toBeUndefined();
    } finally {
      people[ADMIN_TOKEN] = { id: 'token:adm1n', name: 'quick start administrator', role: 'administrator' };
    }
  });

  it('a sign-in link opened in a tab that already runs the dashboard signs in with its token', async () => {
    storeToken('fjt_v13w_s3cr3t');
    await startApp('/#/jobs');
    await waitFor(() => expect(screen.getByTestId('session-role').textContent).toBe('viewer'));
    const stop = watchSignInLinks();
    try {
      window.location.hash = `/sign-in?token=${ADMIN_TOKEN}`;
      await waitFor(() => expect(screen.getByTestId('session-role').textContent).toBe('administrator'));
      expect(window.location.hash).toBe('#/jobs');
      expect(readStoredToken()).toBe(ADMIN_TOKEN);
    } finally {
      stop();
    }
  });

  it('with authentication off: no sign-in, and a warning on every screen', async () => {
    mode = 'off';
    await startApp('/#/jobs');
    await screen.findByRole('heading', { name: 'Jobs' });
    expect(screen.getByTestId('auth-off').textContent).toMatch(/authentication is off/i);
    expect(screen.queryByRole('button', { name: 'Sign out' })).toBeNull();
    expect(screen.getByTestId('session-name').textContent).toBe('anonymous (authentication off)');
  });
});
