import { useState } from 'react';
import { signOut } from './session';
import { useSession } from './session.store';

/** Who is signed in and with which role, and Sign out; with authentication off, says so loudly. */
export function SessionHeader() {
  const session = useSession();
  const [busy, setBusy] = useState(false);
  if (session.status !== 'signed-in') return null;
  const { me, via } = session;
  return (
    <div className="session" data-testid="session">
      <p className="session__who">
        <span className="session__label">Signed in as</span>
        <span className="session__name" data-testid="session-name">
          {me.name}
        </span>
        <span className={`role-badge role-badge--${me.role}`} data-testid="session-role">
          {me.role}
        </span>
      </p>
      {via !== 'off' ? (
        <button
          type="button"
          className="button button--small session__sign-out"
          disabled={busy}
          onClick={() => {
            setBusy(true);
            void signOut().finally(() => setBusy(false));
          }}
        >
          Sign out
        </button>
      ) : null}
    </div>
  );
}

/** The banner every screen shows while the server runs without authentication. */
export function AuthOffBanner() {
  const session = useSession();
  if (session.status !== 'signed-in' || session.via !== 'off') return null;
  return (
    <p className="alert alert--error auth-off" role="alert" data-testid="auth-off">
      <strong>Warning: authentication is off.</strong> Anyone who can reach this server may do everything. Use this for local
      experiments only.
    </p>
  );
}
