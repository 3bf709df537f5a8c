/**
 * An API token used to sign in lives in this tab's sessionStorage only: it is gone when the tab
 * closes, other tabs do not see it, and it never appears in a URL the server receives.
 */
const KEY = 'fleetjobs.apiToken';

export function readStoredToken(): string | undefined {
  try {
    return window.sessionStorage.getItem(KEY) || undefined;
  } catch {
    return undefined;
  }
}

export function storeToken(token: string): void {
  window.sessionStorage.setItem(KEY, token);
}

export function forgetToken(): void {
  try {
    window.sessionStorage.removeItem(KEY);
  } catch {
    // Storage refused: nothing was kept.
  }
}
