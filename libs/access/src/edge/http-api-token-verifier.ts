import { Actor, readActor } from '@fleetjobs/contracts';
import { requestIdHeaders } from '@fleetjobs/http-kit';
import type { VerifyApiToken } from './credential-check';

/**
 * The edge's `VerifyApiToken` in the distributed topology: asks job-command's internal endpoint
 * (`POST /internal/access/tokens/verify`). 200 → the actor, 401 → `null`; anything else throws,
 * and the edge answers 503.
 */
export function httpApiTokenVerifier(jobCommandBaseUrl: string, timeoutMs = 5000): VerifyApiToken {
  const url = `${jobCommandBaseUrl.replace(/\/$/, '')}/internal/access/tokens/verify`;
  return async (credential) => {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...requestIdHeaders() },
      body: JSON.stringify({ token: credential }),
      signal: AbortSignal.timeout(timeoutMs),
    });
    if (response.status === 401 || response.status === 400) {
      await response.arrayBuffer();
      return null;
    }
    if (!response.ok) throw new Error(`the token check answered ${response.status}`);
    const actor: Actor | null = readActor(await response.json());
    if (!actor) throw new Error('the token check answered something that is not an actor');
    return actor;
  };
}
