import { Actor, readActor } from '@fleetjobs/contracts';
import type { VerifyApiToken } from '@fleetjobs/access';

/**
 * Asks the owner of API tokens (job-command, on its internal port) who a token stands for:
 * 200 with the actor, 401 for a token that is unknown, revoked, expired or malformed. Anything
 * else throws, and the edge answers 503 so the client retries.
 */
export function apiTokenVerifyClient(ownerUrl: string, timeoutMs = 5000): VerifyApiToken {
  const url = `${ownerUrl}/internal/access/tokens/verify`;
  return async (credential: string): Promise<Actor | null> => {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token: credential }),
      signal: AbortSignal.timeout(timeoutMs),
    });
    if (response.status === 401) {
      await response.arrayBuffer();
      return null;
    }
    if (response.status !== 200) throw new Error(`the token owner answered ${response.status}`);
    const actor = readActor(await response.json());
    if (!actor) throw new Error('the token owner answered something that is not an actor');
    return actor;
  };
}
