import { useEffect, useRef } from 'react';
import { DeviceSetFormPage } from './device-sets/device-set-form.page';
import { DeviceSetPage } from './device-sets/device-set.page';
import { DeviceSetsPage } from './device-sets/device-sets.page';
import { TemplateFormPage } from './device-templates/template-form.page';
import { TemplatesPage } from './device-templates/templates.page';
import { DeviceFormPage } from './devices/device-form.page';
import { DevicePage } from './devices/device.page';
import { DevicesPage } from './devices/devices.page';
import { JobDetailPage } from './jobs/job-detail.page';
import { JobsListPage } from './jobs/jobs-list.page';
import { NewJobPage } from './jobs/new-job.page';
import { useRoute } from './routing/hash-location.hook';
import { hrefOf, Route, sectionOf } from './routing/routes';
import { PageHeader } from './shared/page-header.component';

const SECTIONS = [
  { section: 'jobs', label: 'Jobs', route: { page: 'jobs' } },
  { section: 'devices', label: 'Devices', route: { page: 'devices' } },
  { section: 'device-sets', label: 'Device sets', route: { page: 'device-sets' } },
] as const;

function Screen({ route }: { route: Route }) {
  switch (route.page) {
    case 'jobs':
      return <JobsListPage />;
    case 'new-job':
      return <NewJobPage key={`${route.copyOf ?? ''}/${route.deviceSet ?? ''}`} copyOf={route.copyOf} deviceSet={route.deviceSet} />;
    case 'job':
      return <JobDetailPage key={route.id} id={route.id} />;
    case 'devices':
      return <DevicesPage />;
    case 'new-device':
      return <DeviceFormPage />;
    case 'device':
      return <DevicePage key={route.id} id={route.id} />;
    case 'edit-device':
      return <DeviceFormPage key={route.id} id={route.id} />;
    case 'device-sets':
      return <DeviceSetsPage />;
    case 'new-device-set':
      return <DeviceSetFormPage />;
    case 'device-set':
      return <DeviceSetPage key={route.id} id={route.id} />;
    case 'edit-device-set':
      return <DeviceSetFormPage key={route.id} id={route.id} />;
    case 'templates':
      return <TemplatesPage />;
    case 'new-template':
      return <TemplateFormPage />;
    case 'template':
      return <TemplateFormPage key={route.id} id={route.id} />;
    case 'not-found':
      return <PageHeader title="Page not found" subtitle={`Nothing lives at ${route.path}. Use the navigation to go on.`} />;
  }
}

/** The dashboard: navigation on the left, the screen the URL names on the right. */
export function App() {
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
      </aside>
      <main id="main" ref={main} tabIndex={-1} className="main">
        <Screen route={route} />
      </main>
    </div>
  );
}
