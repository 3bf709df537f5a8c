import { storeToken } from './api-token.storage';

const LINK = /^#\/sign-in\?(.*)$/;

/**
 * The quick start's one-time sign-in link, `http://host:port/#/sign-in?token=fjt_...`: the token
 * travels in the fragment, which browsers never send to the server. It is kept in sessionStorage
 * and removed from the address bar (and from the history entry) at once; the dashboard then opens
 * `next` (a hash path such as `/jobs/new`) or the jobs list.
 * Answers whether the address held a token.
 */
export function takeSignInLinkToken(location: Location = window.location, history: History = window.history): boolean {
  const match = LINK.exec(location.hash);
  if (!match) return false;
  const params = new URLSearchParams(match[1]);
  const token = params.get('token')?.trim();
  if (!token) return false;
  storeToken(token);
  const next = params.get('next');
  const target = next && next.startsWith('/') && !next.startsWith('//') ? next : '/jobs';
  history.replaceState(history.state, '', `${location.pathname}${location.search}#${target}`);
  return true;
}
