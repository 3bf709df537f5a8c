import { Role } from '@fleetjobs/contracts';

/** What a route needs: a role (or any role above it), or nothing at all. */
export type RouteAccess = Role | 'public';

/** One public operation: an HTTP method and an OpenAPI-style path (`/api/jobs/{id}`). */
export interface RouteRole {
  method: 'GET' | 'PUT' | 'POST' | 'DELETE' | 'PATCH';
  path: string;
  access: RouteAccess;
}

/**
 * Every public `/api` operation and the role it needs. docs/openapi.yaml lists exactly these
 * operations, each with its `x-fleetjobs-role` (a test holds both to it), so a route cannot be
 * served without a role being decided for it.
 */
export const ROUTE_ROLES: readonly RouteRole[] = [
  { method: 'GET', path: '/api/openapi.yaml', access: 'public' },
  { method: 'GET', path: '/api/auth/config', access: 'public' },
  { method: 'GET', path: '/api/me', access: 'viewer' },

  { method: 'GET', path: '/api/device-templates', access: 'viewer' },
  { method: 'GET', path: '/api/device-templates/{id}', access: 'viewer' },
  { method: 'PUT', path: '/api/device-templates/{id}', access: 'builder' },
  { method: 'DELETE', path: '/api/device-templates/{id}', access: 'builder' },

  { method: 'GET', path: '/api/devices', access: 'viewer' },
  { method: 'POST', path: '/api/devices/batch', access: 'builder' },
  { method: 'POST', path: '/api/devices/import', access: 'builder' },
  { method: 'GET', path: '/api/devices/{id}', access: 'viewer' },
  { method: 'PUT', path: '/api/devices/{id}', access: 'builder' },
  { method: 'DELETE', path: '/api/devices/{id}', access: 'builder' },

  { method: 'GET', path: '/api/device-sets', access: 'viewer' },
  { method: 'GET', path: '/api/device-sets/{id}', access: 'viewer' },
  { method: 'PUT', path: '/api/device-sets/{id}', access: 'builder' },
  { method: 'DELETE', path: '/api/device-sets/{id}', access: 'builder' },
  { method: 'GET', path: '/api/device-sets/{id}/devices', access: 'viewer' },

  { method: 'GET', path: '/api/jobs', access: 'viewer' },
  { method: 'POST', path: '/api/jobs', access: 'operator' },
  { method: 'POST', path: '/api/jobs/preview', access: 'operator' },
  { method: 'GET', path: '/api/jobs/{id}', access: 'viewer' },
  { method: 'PUT', path: '/api/jobs/{id}', access: 'operator' },
  { method: 'GET', path: '/api/jobs/{id}/devices', access: 'viewer' },
  { method: 'GET', path: '/api/jobs/{id}/devices.csv', access: 'viewer' },
  { method: 'GET', path: '/api/jobs/{id}/devices.ndjson', access: 'viewer' },
  { method: 'GET', path: '/api/jobs/{id}/stream', access: 'viewer' },
  { method: 'POST', path: '/api/jobs/{id}/stop', access: 'operator' },
  { method: 'POST', path: '/api/jobs/{id}/pause', access: 'operator' },
  { method: 'POST', path: '/api/jobs/{id}/resume', access: 'operator' },
  { method: 'POST', path: '/api/jobs/{id}/approve', access: 'operator' },
  { method: 'POST', path: '/api/jobs/{id}/rerun', access: 'operator' },
  { method: 'POST', path: '/api/jobs/{id}/revert', access: 'operator' },
  { method: 'POST', path: '/api/jobs/{id}/copy', access: 'viewer' },

  { method: 'GET', path: '/api/schedules', access: 'viewer' },
  { method: 'GET', path: '/api/schedules/{id}', access: 'viewer' },
  { method: 'DELETE', path: '/api/schedules/{id}', access: 'operator' },
  { method: 'POST', path: '/api/schedules/{id}/pause', access: 'operator' },
  { method: 'POST', path: '/api/schedules/{id}/resume', access: 'operator' },

  { method: 'GET', path: '/api/audit', access: 'viewer' },

  { method: 'GET', path: '/api/tokens', access: 'administrator' },
  { method: 'POST', path: '/api/tokens', access: 'administrator' },
  { method: 'DELETE', path: '/api/tokens/{id}', access: 'administrator' },
];

interface CompiledRoute {
  route: RouteRole;
  /** Literal segments in lower case; `null` where the path has a parameter. */
  segments: (string | null)[];
  literals: number;
}

const COMPILED: CompiledRoute[] = ROUTE_ROLES.map((route) => {
  const segments = route.path.split('/').filter(Boolean).map((segment) => (/^\{\w+\}$/.test(segment) ? null : segment.toLowerCase()));
  return { route, segments, literals: segments.filter((segment) => segment !== null).length };
});

/**
 * The request path's segments as the most lenient router would see them: query dropped, empty
 * segments (`//`, a trailing `/`) dropped, each segment percent-decoded and lower-cased. Reading a
 * path more leniently than the router that serves it can only ask for credentials where none are
 * needed, never the other way round.
 */
function segmentsOf(path: string): string[] {
  const pathname = path.split(/[?#]/, 1)[0];
  return pathname
    .split('/')
    .filter(Boolean)
    .map((segment) => {
      try {
        return decodeURIComponent(segment).toLowerCase();
      } catch {
        return segment.toLowerCase();
      }
    });
}

/** The table's entry for a request, or `null` when the table has none (not an /api route, or unknown). */
export function routeOf(method: string, path: string): RouteRole | null {
  const wanted = method.toUpperCase() === 'HEAD' ? 'GET' : method.toUpperCase();
  const segments = segmentsOf(path);
  let best: CompiledRoute | null = null;
  for (const candidate of COMPILED) {
    if (candidate.route.method !== wanted || candidate.segments.length !== segments.length) continue;
    const matches = candidate.segments.every((segment, index) => segment === null || segment === segments[index]);
    // A literal segment wins over a parameter: `POST /api/devices/batch` is not a device's id.
    if (matches && (!best || candidate.literals > best.literals)) best = candidate;
  }
  return best?.route ?? null;
}

/** What a request needs, or `null` when no table entry covers it (it passes untouched). */
export function requiredRole(method: string, path: string): RouteAccess | null {
  return routeOf(method, path)?.access ?? null;
}
