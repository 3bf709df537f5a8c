import { ApiProblem, asApiProblem } from '../api/api-problem';
import { fleetjobsApi } from '../api/fleetjobs-api.client';
import { forgetToken, readStoredToken, storeToken } from './api-token.storage';
import { OidcSignIn } from './oidc-sign-in';
import { readMe } from './roles';
import { AuthConfig, currentBearer, getSession, replaceBearer, setSession } from './session.store';
import { takeSignInLinkToken } from './sign-in-link';

/** The caller when the server runs without authentication. */
const ANONYMOUS = { id: 'local:anonymous', name: 'anonymous (authentication off)', role: 'administrator' } as const;

let oidc: OidcSignIn | undefined;
let stopWatching: (() => void) | undefined;
let starting: Promise<void> | undefined;

fleetjobsApi.useCredentials({ bearer: currentBearer, unauthorized: (problem) => sessionEnded(problem) });

function refusal(problem: ApiProblem): string {
  return problem.detail || problem.title;
}

/** Reads how to sign in; a server that does not know `/api/auth/config` has no authentication. */
async function readConfig(): Promise<AuthConfig> {
  try {
    return await fleetjobsApi.getAuthConfig();
  } catch (error) {
    if (asApiProblem(error).status === 404) return { mode: 'off' };
    throw error;
  }
}

async function signedInWith(config: AuthConfig, bearer: string, via: 'token' | 'oidc'): Promise<ApiProblem | undefined> {
  try {
    const me = readMe(await fleetjobsApi.getMe(bearer));
    if (!me) return new ApiProblem(0, 'Unexpected answer', 'GET /api/me did not answer who you are.');
    setSession({ status: 'signed-in', config, me, via }, bearer);
    return undefined;
  } catch (error) {
    return asApiProblem(error);
  }
}

async function start(): Promise<void> {
  takeSignInLinkToken();
  let config: AuthConfig;
  try {
    config = await readConfig();
  } catch (error) {
    setSession({ status: 'unavailable', problem: asApiProblem(error) });
    return;
  }
  if (config.mode === 'off') {
    const me = readMe(await fleetjobsApi.getMe().catch(() => null)) ?? ANONYMOUS;
    setSession({ status: 'signed-in', config, me, via: 'off' });
    return;
  }
  let message: string | undefined;
  if (config.mode === 'oidc' && config.issuer && config.clientId) {
    oidc ??= new OidcSignIn(config);
    if (OidcSignIn.isCallback()) {
      try {
        await oidc.completeSignIn();
        forgetToken();
      } catch (error) {
        message = `Signing in with your organisation account failed: ${error instanceof Error ? error.message : String(error)}`;
      }
    }
  }
  const token = readStoredToken();
  if (token) {
    const problem = await signedInWith(config, token, 'token');
    if (!problem) return;
    if (problem.status === 401 || problem.status === 403) forgetToken();
    setSession({ status: 'signed-out', config, message: `The API token was not accepted: ${refusal(problem)}` });
    return;
  }
  const user = await oidc?.currentUser();
  if (oidc && user) {
    const problem = await signedInWith(config, user.access_token, 'oidc');
    if (!problem) {
      stopWatching?.();
      stopWatching = oidc.watch(replaceBearer, () => sessionEnded());
      return;
    }
    await oidc.manager.removeUser();
    message = `Your sign-in was not accepted: ${refusal(problem)}`;
  }
  setSession({ status: 'signed-out', config, message });
}

/**
 * Finds out who is using the dashboard: reads how to sign in, takes a one-time sign-in link's
 * token, completes a return from the OpenID provider, and checks the credential kept in this tab
 * with `GET /api/me`. Runs once at start and again when a sign-in link is opened in a running tab.
 */
export function startSession(): Promise<void> {
  starting ??= start().finally(() => (starting = undefined));
  return starting;
}

/** Opening a sign-in link in a tab that already runs the dashboard signs in with it. */
export function watchSignInLinks(): () => void {
  const onHash = () => {
    if (takeSignInLinkToken()) void restartSession();
  };
  window.addEventListener('hashchange', onHash);
  return () => window.removeEventListener('hashchange', onHash);
}

async function restartSession(): Promise<void> {
  await starting;
  setSession({ status: 'starting' });
  await startSession();
}

/** Signs in with a pasted API token; answers why not when the API refuses it. */
export async function signInWithToken(token: string): Promise<ApiProblem | undefined> {
  const session = getSession();
  const config = session.status === 'signed-out' || session.status === 'signed-in' ? session.config : await readConfig();
  const trimmed = token.trim();
  const problem = await signedInWith(config, trimmed, 'token');
  if (problem) return problem;
  storeToken(trimmed);
  stopWatching?.();
  await oidc?.manager.removeUser();
  return undefined;
}

/** Goes to the OpenID provider; the dashboard opens `returnHash` once back. */
export async function signInWithProvider(returnHash: string): Promise<void> {
  if (!oidc) throw new Error('No OpenID provider is configured');
  await oidc.signIn(returnHash);
}

/** Signs out: forgets the credential of this tab (and ends the provider's session, when signed in through it). */
export async function signOut(): Promise<void> {
  const session = getSession();
  if (session.status !== 'signed-in' || session.via === 'off') return;
  forgetToken();
  stopWatching?.();
  setSession({ status: 'signed-out', config: session.config, message: 'You signed out.' });
  if (session.via === 'oidc') await oidc?.signOut();
}

/** The API refused the credential (expired, revoked): the user signs in again and comes back to the same screen. */
export function sessionEnded(problem?: ApiProblem): void {
  const session = getSession();
  if (session.status !== 'signed-in' || session.via === 'off') return;
  if (session.via === 'token') forgetToken();
  else void oidc?.manager.removeUser();
  stopWatching?.();
  const why = problem ? refusal(problem) : 'the sign-in expired';
  setSession({ status: 'signed-out', config: session.config, message: `Your session ended (${why}). Sign in again to go on.` });
}
