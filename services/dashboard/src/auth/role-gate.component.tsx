import { ReactNode } from 'react';
import { PageHeader } from '../shared/page-header.component';
import { Role } from './roles';
import { useAllowed, useRole } from './session.store';

/** Renders its children only for a role that includes `role`; the API would refuse the others anyway. */
export function IfAllowed({ role, children }: { role: Role; children: ReactNode }) {
  return useAllowed(role) ? <>{children}</> : null;
}

/** A screen only `role` and above may use (a form that saves): others are told why they cannot. */
export function RequiresRole({ role, title, children }: { role: Role; title: string; children: ReactNode }) {
  const held = useRole();
  if (useAllowed(role)) return <>{children}</>;
  return (
    <>
      <PageHeader title={title} />
      <p className="alert alert--warning" role="status" data-testid="role-needed">
        This needs the {role} role; you are signed in as {held ?? 'no one'}. Ask an administrator if you need it.
      </p>
    </>
  );
}
