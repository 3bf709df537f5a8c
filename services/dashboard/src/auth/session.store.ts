import { useSyncExternalStore } from 'react';
import { ApiProblem } from '../api/api-problem';
import { AuthConfig } from '../api/fleetjobs-api.types';
import { Me, Role, roleAllows } from './roles';

export type { AuthConfig };

/** How the signed-in user proved who they are: an API token, the OpenID provider, or not at all (authentication off). */
export type SignedInVia = 'token' | 'oidc' | 'off';

export type SessionState =
  | { status: 'starting' }
  | { status: 'unavailable'; problem: ApiProblem }
  | { status: 'signed-out'; config: AuthConfig; message?: string }
  | { status: 'signed-in'; config: AuthConfig; me: Me; via: SignedInVia };

let state: SessionState = { status: 'starting' };
let bearer: string | undefined;
const listeners = new Set<() => void>();

export function getSession(): SessionState {
  return state;
}

/** The credential every API call carries, `undefined` when no one is signed in (or authentication is off). */
export function currentBearer(): string | undefined {
  return bearer;
}

export function setSession(next: SessionState, nextBearer?: string): void {
  state = next;
  bearer = next.status === 'signed-in' ? nextBearer : undefined;
  listeners.forEach((listener) => listener());
}

/** Replaces the credential of the signed-in user (a renewed OpenID access token). */
export function replaceBearer(next: string): void {
  if (state.status === 'signed-in') bearer = next;
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function useSession(): SessionState {
  return useSyncExternalStore(subscribe, getSession, getSession);
}

/** The signed-in user's role; `undefined` before sign-in. */
export function useRole(): Role | undefined {
  const session = useSession();
  return session.status === 'signed-in' ? session.me.role : undefined;
}

/** Whether the signed-in user's role includes `needed`. */
export function useAllowed(needed: Role): boolean {
  return roleAllows(useRole(), needed);
}
