/**
 * Who may do what. Each role includes every role before it: an operator may do all a viewer may,
 * a builder all an operator may, an administrator everything.
 */
export const ROLES = ['viewer', 'operator', 'builder', 'administrator'] as const;
export type Role = (typeof ROLES)[number];

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

/** Whether one holding `held` may do what needs `needed`. */
export function roleAllows(held: Role, needed: Role): boolean {
  return ROLES.indexOf(held) >= ROLES.indexOf(needed);
}

/**
 * The one who sent a command, as the public edge authenticated them. `id` says how:
 * `user:<subject>` (an OIDC token), `token:<token id>` (an API token) or `local:anonymous`
 * (authentication turned off for a local experiment).
 */
export interface Actor {
  id: string;
  /** A name a person can read: the token's name, or the user's name or e-mail. */
  name: string;
  role: Role;
  /** The client's address as the edge saw it. */
  address?: string;
}

/** Reads an actor from untrusted JSON; `null` when it is not one. */
export function readActor(value: unknown): Actor | null {
  if (!value || typeof value !== 'object') return null;
  const candidate = value as Partial<Record<keyof Actor, unknown>>;
  if (typeof candidate.id !== 'string' || candidate.id === '' || typeof candidate.name !== 'string' || !isRole(candidate.role)) {
    return null;
  }
  return {
    id: candidate.id,
    name: candidate.name,
    role: candidate.role,
    ...(typeof candidate.address === 'string' ? { address: candidate.address } : {}),
  };
}
