import { createHash, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';

/**
 * API tokens as clients hold them: `fjt_<id>_<secret>`. The id finds the stored token; the secret
 * (32 random bytes, base64url) proves the holder has it and is stored only as its SHA-256.
 */
export const API_TOKEN_PREFIX = 'fjt_';

const TOKEN_FORMAT = /^fjt_([a-z0-9]{1,32})_([A-Za-z0-9_-]{32,128})$/;
const ID_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';
const ID_LENGTH = 12;

export interface ParsedApiToken {
  id: string;
  secret: string;
}

/** Whether a bearer credential is meant as an API token (rather than a JWT). */
export function looksLikeApiToken(credential: string): boolean {
  return credential.startsWith(API_TOKEN_PREFIX);
}

/** The id and secret of a well-formed token; `null` otherwise. */
export function parseApiToken(token: string): ParsedApiToken | null {
  const match = TOKEN_FORMAT.exec(token);
  return match ? { id: match[1], secret: match[2] } : null;
}

/** A new token: its id, the secret's hash to store, and the whole token to show once. */
export function mintApiToken(): { id: string; secretHash: string; token: string } {
  const id = Array.from({ length: ID_LENGTH }, () => ID_ALPHABET[randomInt(ID_ALPHABET.length)]).join('');
  const secret = randomBytes(32).toString('base64url');
  return { id, secretHash: hashSecret(secret), token: `${API_TOKEN_PREFIX}${id}_${secret}` };
}

/** SHA-256 of the secret, hex: what the store keeps. */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/** Compares a presented secret with a stored hash in constant time. */
export function secretMatches(secret: string, storedHash: string): boolean {
  const presented = Buffer.from(hashSecret(secret), 'hex');
  const stored = Buffer.from(storedHash, 'hex');
  return presented.length === stored.length && timingSafeEqual(presented, stored);
}
