import { useEffect, useRef } from 'react';
import { RequiresRole } from './auth/role-gate.component';
import { AuthOffBanner, SessionHeader } from './auth/session-header.component';
import { startSession } from './auth/session';
import { setSession, useAllowed, useSession } from './auth/session.store';
import { SignInPage } from './auth/sign-in.page';
import { AuditPage } from './audit/audit.page';
import { DeviceSetFormPage } from './device-sets/device-set-form.page';
import { DeviceSetPage } from './device-sets/device-set.page';
import { DeviceSetsPage } from './device-sets/device-sets.page';
import { TemplateFormPage } from './device-templates/template-form.page';
import { TemplateView } from './device-templates/template-view.component';
import { TemplatesPage } from './device-templates/templates.page';
import { DeviceFormPage } from './devices/device-form.page';
import { DevicePage } from './devices/device.page';
import { DevicesPage } from './devices/devices.page';
import { JobDetailPage } from './jobs/job-detail.page';
import { JobsListPage } from './jobs/jobs-list.page';
import { NewJobPage } from './jobs/new-job.page';
import { useRoute } from './routing/hash-location.hook';
import { SchedulePage } from './schedules/schedule.page';
import { SchedulesPage } from './schedules/schedules.page';
import { hrefOf, Route, sectionOf } from './routing/routes';
import { PageHeader } from './shared/page-header.component';
import { ProblemAlert } from './shared/problem-alert.component';

const SECTIONS = [
  { section: 'jobs', label: 'Jobs', route: { page: 'jobs' } },
  { section: 'schedules', label: 'Schedules', route: { page: 'schedules' } },
  { section: 'devices', label: 'Devices', route: { page: 'devices' } },
  { section: 'device-sets', label: 'Device sets', route: { page: 'device-sets' } },
  { section: 'audit', label: 'Audit', route: { page: 'audit' } },
] as const;

function Screen({ route }: { route: Route }) {
  const builder = useAllowed('builder');
  switch (route.page) {
    case 'jobs':
      return <JobsListPage />;
    case 'new-job':
      return (
        <RequiresRole role="operator" title="New job">
          <NewJobPage key={`${route.copyOf ?? ''}/${route.deviceSet ?? ''}`} copyOf={route.copyOf} deviceSet={route.deviceSet} />
        </RequiresRole>
      );
    case 'job':
      return <JobDetailPage key={route.id} id={route.id} />;
    case 'schedules':
      return <SchedulesPage />;
    case 'schedule':
      return <SchedulePage key={route.id} id={route.id} />;
    case 'devices':
      return <DevicesPage />;
    case 'new-device':
      return (
        <RequiresRole role="builder" title="New device">
          <DeviceFormPage />
        </RequiresRole>
      );
    case 'device':
      return <DevicePage key={route.id} id={route.id} />;
    case 'edit-device':
      return (
        <RequiresRole role="builder" title={`Edit ${route.id}`}>
          <DeviceFormPage key={route.id} id={route.id} />
        </RequiresRole>
      );
    case 'device-sets':
      return <DeviceSetsPage />;
    case 'new-device-set':
      return (
        <RequiresRole role="builder" title="New device set">
          <DeviceSetFormPage />
        </RequiresRole>
      );
    case 'device-set':
      return <DeviceSetPage key={route.id} id={route.id} />;
    case 'edit-device-set':
      return (
        <RequiresRole role="builder" title={`Edit ${route.id}`}>
          <DeviceSetFormPage key={route.id} id={route.id} />
        </RequiresRole>
      );
    case 'templates':
      return <TemplatesPage />;
    case 'new-template':
      return (
        <RequiresRole role="builder" title="New device template">
          <TemplateFormPage />
        </RequiresRole>
      );
    case 'audit':
      return <AuditPage />;
    case 'template':
      return builder ? <TemplateFormPage key={route.id} id={route.id} /> : <TemplateView key={route.id} id={route.id} />;
    case 'sign-in':
      return <SignInPage />;
    case 'not-found':
      return <PageHeader title="Page not found" subtitle={`Nothing lives at ${route.path}. Use the navigation to go on.`} />;
  }
}

/** Until someone is signed in: the sign-in page, or why the dashboard cannot start. */
function SignedOutScreen() {
  const session = useSession();
  if (session.status === 'starting') {
    return (
      <p className="muted" role="status">
        Signing in…
      </p>
    );
  }
  if (session.status === 'unavailable') {
    return (
      <>
        <PageHeader title="Fleetjobs is not answering" />
        <ProblemAlert problem={session.problem} />
        <button
          type="button"
          className="button"
          onClick={() => {
            setSession({ status: 'starting' });
            void startSession();
          }}
        >
          Try again
        </button>
      </>
    );
  }
  return <SignInPage />;
}

/**
 * The dashboard: navigation and who is signed in on the left, the screen the URL names on the
 * right; the sign-in page until someone is signed in.
 */
export function App() {
  const session = useSession();
  const signedIn = session.status === 'signed-in';
  const route = useRoute();
  const section = sectionOf(route);
  const main = useRef<HTMLElement>(null);
  const firstRender = useRef(true);
  const href = hrefOf(route);

  useEffect(() => {
    // Moving focus to the new screen tells screen readers that the page changed.
    if (firstRender.current) firstRender.current = false;
    else main.current?.focus({ preventScroll: true });
    window.scrollTo?.(0, 0);
  }, [href]);

  return (
    <div className="app">
      <a className="skip-link" href="#main" onClick={(e) => (e.preventDefault(), main.current?.focus())}>
        Skip to content
      </a>
      <aside className="sidebar">
        <a className="brand" href={hrefOf({ page: 'jobs' })}>
          <span className="brand__mark" aria-hidden="true">
            F
          </span>
          Fleetjobs
        </a>
        {signedIn ? (
          <nav aria-label="Main">
            <ul className="nav">
              {SECTIONS.map((s) => (
                <li key={s.section}>
                  <a className="nav__link" href={hrefOf(s.route)} aria-current={section === s.section ? 'page' : undefined}>
                    {s.label}
                  </a>
                </li>
              ))}
            </ul>
          </nav>
        ) : null}
        <SessionHeader />
      </aside>
      <main id="main" ref={main} tabIndex={-1} className="main">
        <AuthOffBanner />
        {signedIn ? <Screen route={route} /> : <SignedOutScreen />}
      </main>
    </div>
  );
}
