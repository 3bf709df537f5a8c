/**
 * The API's roles (PRODUCT.md, access): each includes every role before it, so an operator may do
 * all a viewer may, a builder all an operator may, an administrator everything.
 */
export const ROLES = ['viewer', 'operator', 'builder', 'administrator'] as const;
export type Role = (typeof ROLES)[number];

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

/** Whether one holding `held` may do what needs `needed`; no one signed in may do nothing. */
export function roleAllows(held: Role | undefined, needed: Role): boolean {
  return held !== undefined && ROLES.indexOf(held) >= ROLES.indexOf(needed);
}

/** The caller as `GET /api/me` answers. */
export interface Me {
  id: string;
  name: string;
  role: Role;
}

export function readMe(value: unknown): Me | null {
  const candidate = value as Partial<Record<keyof Me, unknown>> | null;
  if (!candidate || typeof candidate.id !== 'string' || typeof candidate.name !== 'string' || !isRole(candidate.role)) return null;
  return { id: candidate.id, name: candidate.name, role: candidate.role };
}
