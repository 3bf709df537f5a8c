import { createHmac, timingSafeEqual } from 'node:crypto';

/** Why a request's `Authorization` header was refused; `null` when it is valid. */
export type SasRejection = 'missing' | 'malformed' | 'wrong-resource' | 'unknown-policy' | 'expired' | 'bad-signature';

export interface SasVerifierOptions {
  /** Base64 shared access key of the policy. */
  sharedAccessKey: string;
  sharedAccessKeyName: string;
  /** Resource URIs (`sr`) the hub answers to, e.g. `127.0.0.1:8443`; compared case-insensitively. */
  resourceUris: readonly string[];
}

/** Cached valid headers; the SDK re-signs once a second per client, so this stays small. */
const CACHE_LIMIT = 10_000;

/**
 * Verifies `SharedAccessSignature sr=<host>&sig=<base64 HMAC-SHA256>&skn=<policy>&se=<unix seconds>`,
 * the signature being over `sr + "\n" + se` with the base64-decoded key.
 */
export class SasTokenVerifier {
  private readonly key: Buffer;
  private readonly resourceUris: Set<string>;
  private readonly validUntilByHeader = new Map<string, number>();

  constructor(private readonly options: SasVerifierOptions) {
    this.key = Buffer.from(options.sharedAccessKey, 'base64');
    this.resourceUris = new Set(options.resourceUris.map((uri) => uri.toLowerCase()));
  }

  /** `extraResourceUri` lets a request's own Host header stand for the hub's name. */
  verify(header: string | undefined, nowMs: number = Date.now(), extraResourceUri?: string): SasRejection | null {
    if (!header) return 'missing';
    const cachedUntil = this.validUntilByHeader.get(header);
    if (cachedUntil !== undefined && cachedUntil > nowMs) return null;

    const match = /^SharedAccessSignature\s+(.+)$/.exec(header.trim());
    if (!match) return 'malformed';
    const fields = new Map<string, string>();
    for (const part of match[1].split('&')) {
      const separator = part.indexOf('=');
      if (separator <= 0) return 'malformed';
      fields.set(part.slice(0, separator), part.slice(separator + 1));
    }
    const sr = fields.get('sr');
    const sig = fields.get('sig');
    const skn = fields.get('skn');
    const se = fields.get('se');
    if (!sr || !sig || !se || !/^\d+$/.test(se)) return 'malformed';

    const resource = safeDecode(sr).toLowerCase();
    if (!this.resourceUris.has(resource) && resource !== extraResourceUri?.toLowerCase()) return 'wrong-resource';
    if (skn !== this.options.sharedAccessKeyName) return 'unknown-policy';
    const expiresAtMs = Number(se) * 1000;
    if (expiresAtMs <= nowMs) return 'expired';

    const expected = createHmac('sha256', this.key).update(`${sr}\n${se}`).digest();
    const given = Buffer.from(safeDecode(sig), 'base64');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return 'bad-signature';

    if (this.validUntilByHeader.size >= CACHE_LIMIT) this.validUntilByHeader.clear();
    this.validUntilByHeader.set(header, expiresAtMs);
    return null;
  }
}

/** Builds a token the way the IoT Hub SDKs do; for tools and tests that call the hub directly. */
export function signSasToken(resourceUri: string, keyName: string, sharedAccessKey: string, expiresAtSeconds: number): string {
  const signature = createHmac('sha256', Buffer.from(sharedAccessKey, 'base64'))
    .update(`${resourceUri}\n${expiresAtSeconds}`)
    .digest('base64');
  return `SharedAccessSignature sr=${resourceUri}&sig=${encodeURIComponent(signature)}&skn=${keyName}&se=${expiresAtSeconds}`;
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
