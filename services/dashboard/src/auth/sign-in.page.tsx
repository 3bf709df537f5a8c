import { FormEvent, useState } from 'react';
import { ApiProblem, asApiProblem } from '../api/api-problem';
import { Field } from '../shared/field.component';
import { PageHeader } from '../shared/page-header.component';
import { signInWithProvider, signInWithToken } from './session';
import { useSession } from './session.store';

function providerName(issuer: string | undefined): string {
  try {
    return issuer ? new URL(issuer).host : 'your organisation';
  } catch {
    return issuer ?? 'your organisation';
  }
}

/** The screen to come back to after signing in: the one asked for, or the jobs list. */
function returnHash(): string {
  const hash = window.location.hash;
  return hash.startsWith('#/') && !hash.startsWith('#/sign-in') ? hash : '#/jobs';
}

/**
 * Sign-in: through the organisation's OpenID provider when the API names one, and always with an
 * API token pasted here (scripts' tokens, or the administrator token of the quick start).
 */
export function SignInPage() {
  const session = useSession();
  const [token, setToken] = useState('');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<ApiProblem>();
  const config = session.status === 'signed-out' || session.status === 'signed-in' ? session.config : undefined;

  if (config?.mode === 'off') {
    return <PageHeader title="Sign in" subtitle="Authentication is off on this server: everyone may do everything, no sign-in needed." />;
  }

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!token.trim()) return setProblem(new ApiProblem(0, 'No token', 'Paste an API token first.'));
    setBusy(true);
    setProblem(undefined);
    const refused = await signInWithToken(token);
    setBusy(false);
    if (refused) return setProblem(refused);
    setToken('');
    if (window.location.hash.startsWith('#/sign-in')) window.location.hash = '/jobs';
  };

  const withProvider = async () => {
    setBusy(true);
    setProblem(undefined);
    try {
      await signInWithProvider(returnHash());
    } catch (error) {
      setProblem(asApiProblem(error));
      setBusy(false);
    }
  };

  return (
    <div className="sign-in">
      <PageHeader title="Sign in" subtitle="Fleetjobs changes settings and runs commands on whole fleets: tell it who you are." />
      {session.status === 'signed-out' && session.message ? (
        <p className="alert alert--warning" role="status" data-testid="sign-in-message">
          {session.message}
        </p>
      ) : null}
      {session.status === 'signed-in' ? (
        <p className="alert alert--info" role="status">
          You are signed in as {session.me.name} ({session.me.role}). Signing in again replaces that.
        </p>
      ) : null}
      {config?.mode === 'oidc' && config.issuer && config.clientId ? (
        <section className="card sign-in__card" aria-label="With your organisation account">
          <h2>With your organisation account</h2>
          <p className="muted">Sign in at {providerName(config.issuer)}; you come back here afterwards.</p>
          <button type="button" className="button button--primary" disabled={busy} onClick={withProvider}>
            Sign in with {providerName(config.issuer)}
          </button>
        </section>
      ) : null}
      <section className="card sign-in__card" aria-label="With an API token">
        <h2>With an API token</h2>
        <form className="form" onSubmit={submit} noValidate>
          <Field label="API token" hint="A token an administrator created for you (fjt_...). It is kept in this tab only, until you sign out or close it.">
            {(control) => (
              <input {...control} type="password" autoComplete="off" spellCheck={false} value={token} onChange={(e) => setToken(e.target.value)} />
            )}
          </Field>
          {problem ? (
            <p className="field__error" role="alert">
              {problem.status === 401 ? 'The API did not accept this token' : problem.title}: {problem.detail || problem.title}
            </p>
          ) : null}
          <div>
            <button type="submit" className={config?.mode === 'oidc' ? 'button' : 'button button--primary'} disabled={busy}>
              {busy ? 'Signing in…' : 'Sign in with token'}
            </button>
          </div>
        </form>
      </section>
    </div>
  );
}
