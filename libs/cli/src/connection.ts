import { UsageError } from './cli.errors';

/** Where the API is and the credential sent to it. */
export interface Connection {
  baseUrl: string;
  /** null: no credential is sent (a deployment with authentication off accepts that). */
  token: string | null;
}

export const DEFAULT_URL = 'http://localhost:3000';

/** `--url`/`--token` win over `FLEETJOBS_URL`/`FLEETJOBS_TOKEN`; the URL defaults to a local `npm start`. */
export function resolveConnection(flags: { url?: string; token?: string }, env: Record<string, string | undefined>): Connection {
  const raw = flags.url ?? env.FLEETJOBS_URL ?? DEFAULT_URL;
  const field = flags.url !== undefined ? '--url' : env.FLEETJOBS_URL !== undefined ? 'FLEETJOBS_URL' : '--url';
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UsageError(field, `"${raw}" is not a URL (e.g. http://localhost:3000)`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UsageError(field, `"${raw}" is not an http or https URL`);
  const token = (flags.token ?? env.FLEETJOBS_TOKEN ?? '').trim();
  return { baseUrl: `${url.origin}${url.pathname.replace(/\/+$/, '')}`, token: token || null };
}
