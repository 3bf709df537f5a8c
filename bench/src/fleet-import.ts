import { request } from 'node:http';
import { ACTOR_HEADER, encodeActorHeader } from '@fleetjobs/http-kit';

/**
 * Fleets above this size are imported straight from device-set's internal port: the import is one
 * request that reads the whole hub registry (about 1,700 devices a second here), and the public
 * edge gives up on a proxied request after 120 s.
 */
export const GATEWAY_IMPORT_LIMIT = 100_000;

export interface ImportTarget {
  /** The API's base URL, behind the public edge. */
  baseUrl: string;
  adminToken: string;
  /** device-set's own URL (distributed), where a request names its actor as the edge would. */
  deviceSetUrl?: string;
}

/** Imports the hub's registry through the API, or, for a fleet the edge cannot wait for, from device-set itself. */
export async function importFleet(target: ImportTarget, devices: number): Promise<{ imported: number; route: string }> {
  if (target.deviceSetUrl && devices > GATEWAY_IMPORT_LIMIT) {
    const actor = encodeActorHeader({ id: 'local:bench', name: 'bench', role: 'administrator' });
    const answer = await postWithoutTimeout(`${target.deviceSetUrl}/api/devices/import`, { [ACTOR_HEADER]: actor });
    return { imported: answer.imported, route: 'device-set directly (a fleet this large outlasts the edge proxy timeout)' };
  }
  const response = await fetch(`${target.baseUrl}/api/devices/import`, { method: 'POST', headers: { authorization: `Bearer ${target.adminToken}` } });
  if (!response.ok) throw new Error(`POST /api/devices/import: ${response.status} ${await response.text()}`);
  return { imported: ((await response.json()) as { imported: number }).imported, route: 'the API' };
}

/** `fetch` gives up waiting for response headers after 300 s; an import of a million devices takes longer. */
function postWithoutTimeout(url: string, headers: Record<string, string>): Promise<{ imported: number }> {
  return new Promise((resolve, reject) => {
    const outgoing = request(url, { method: 'POST', headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        if ((response.statusCode ?? 0) >= 300) reject(new Error(`POST ${url}: ${response.statusCode} ${text}`));
        else resolve(JSON.parse(text) as { imported: number });
      });
      response.on('error', reject);
    });
    outgoing.on('error', reject);
    outgoing.end();
  });
}
