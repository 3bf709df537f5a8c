import { allOf, Me, Role } from '../api/fleetjobs-api.types';

export type { Me, Role };

/**
 * The API's roles (PRODUCT.md, access): each includes every role before it, so an operator may do
 * all a viewer may, a builder all an operator may, an administrator everything.
 */
export const ROLES = allOf<Role>()(['viewer', 'operator', 'builder', 'administrator']);

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

/** Whether one holding `held` may do what needs `needed`; no one signed in may do nothing. */
export function roleAllows(held: Role | undefined, needed: Role): boolean {
  return held !== undefined && ROLES.indexOf(held) >= ROLES.indexOf(needed);
}


export function readMe(value: unknown): Me | null {
  const candidate = value as Partial<Record<keyof Me, unknown>> | null;
  if (!candidate || typeof candidate.id !== 'string' || typeof candidate.name !== 'string' || !isRole(candidate.role)) return null;
  return { id: candidate.id, name: candidate.name, role: candidate.role };
}
