import { User, UserManager, WebStorageStateStore } from 'oidc-client-ts';
import type { AuthConfig } from './session.store';

/** Where the provider sends the browser back: the dashboard's own address, without query or fragment. */
export function dashboardAddress(location: Location = window.location): string {
  return `${location.origin}${location.pathname}`;
}

function scopesOf(config: AuthConfig): string {
  const list = (config.scopes ?? '').split(/\s+/).filter(Boolean);
  return (list.includes('openid') ? list : ['openid', ...list]).join(' ');
}

/** What the dashboard keeps through the provider's round trip: the screen to go back to. */
interface ReturnState {
  hash: string;
}

/**
 * Sign-in with the organisation's OpenID provider: authorization code with PKCE, a public client
 * (`clientId`), tokens kept in this tab's sessionStorage. Renewal uses a refresh token when the
 * provider gave one; otherwise the user signs in again when the access token expires.
 */
export class OidcSignIn {
  readonly manager: UserManager;

  constructor(config: AuthConfig) {
    if (!config.issuer || !config.clientId) throw new Error('The API names no OpenID provider (issuer and clientId)');
    this.manager = new UserManager({
      authority: config.issuer,
      client_id: config.clientId,
      redirect_uri: dashboardAddress(),
      post_logout_redirect_uri: dashboardAddress(),
      response_type: 'code',
      scope: scopesOf(config),
      userStore: new WebStorageStateStore({ store: window.sessionStorage }),
      stateStore: new WebStorageStateStore({ store: window.sessionStorage }),
      automaticSilentRenew: false,
      monitorSession: false,
      loadUserInfo: false,
    });
  }

  /** Whether the address is the provider's answer to a sign-in (`?code=...&state=...` or `?error=...&state=...`). */
  static isCallback(location: Location = window.location): boolean {
    const params = new URLSearchParams(location.search);
    return params.has('state') && (params.has('code') || params.has('error'));
  }

  /** Goes to the provider; the browser comes back to `returnHash` once signed in. */
  async signIn(returnHash: string): Promise<void> {
    const state: ReturnState = { hash: returnHash };
    await this.manager.signinRedirect({ state });
  }

  /**
   * Completes a sign-in from the provider's answer in the address, then removes code and state
   * from the address bar and opens the screen the user came from.
   */
  async completeSignIn(location: Location = window.location, history: History = window.history): Promise<User> {
    try {
      const user = await this.manager.signinRedirectCallback(location.href);
      const back = (user.state as ReturnState | undefined)?.hash;
      history.replaceState(null, '', `${location.pathname}${back && back.startsWith('#/') ? back : '#/jobs'}`);
      return user;
    } catch (error) {
      history.replaceState(null, '', `${location.pathname}#/sign-in`);
      throw error;
    }
  }

  /** The signed-in user whose access token is still good, if any. */
  async currentUser(): Promise<User | null> {
    const user = await this.manager.getUser();
    return user && !user.expired ? user : null;
  }

  /**
   * Keeps the access token fresh: shortly before it expires, a refresh token (if any) gets a new
   * one; `renewed` gets each new token, `ended` is told when the sign-in cannot be kept.
   */
  watch(renewed: (token: string) => void, ended: () => void): () => void {
    const { events } = this.manager;
    const loaded = (user: User) => renewed(user.access_token);
    const expiring = () => {
      void this.manager.getUser().then((user) => {
        if (user?.refresh_token) this.manager.signinSilent().catch(() => undefined);
      });
    };
    const expired = () => void this.manager.removeUser().finally(ended);
    events.addUserLoaded(loaded);
    events.addAccessTokenExpiring(expiring);
    events.addAccessTokenExpired(expired);
    return () => {
      events.removeUserLoaded(loaded);
      events.removeAccessTokenExpiring(expiring);
      events.removeAccessTokenExpired(expired);
    };
  }

  /** Forgets the tokens here, then ends the session at the provider when it offers that. */
  async signOut(): Promise<void> {
    const user = await this.manager.getUser();
    await this.manager.removeUser();
    const endSession = await this.manager.metadataService.getEndSessionEndpoint().catch(() => undefined);
    if (endSession && user?.id_token) await this.manager.signoutRedirect({ id_token_hint: user.id_token });
  }
}
