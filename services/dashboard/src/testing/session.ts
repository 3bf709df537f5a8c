import { Role } from '../auth/roles';
import { AuthConfig, setSession } from '../auth/session.store';

/** Signs a test user in with `role`, as if `GET /api/me` had answered so for an API token. */
export function signInAs(role: Role, config: AuthConfig = { mode: 'token' }, name = `Test ${role}`): void {
  setSession({ status: 'signed-in', config, me: { id: `token:test-${role}`, name, role }, via: 'token' }, `fjt_test-${role}_secret`);
}
