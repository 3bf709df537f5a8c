import { fleetjobsApi } from '../api/fleetjobs-api.client';
import { useCursorPager } from '../shared/cursor-pager.hook';
import { Link } from '../shared/link.component';
import { PageHeader } from '../shared/page-header.component';
import { Pager } from '../shared/pager.component';
import { ProblemAlert } from '../shared/problem-alert.component';
import { useLoad } from '../shared/use-load.hook';

/** The kinds of device, each with the properties, settings and commands a job can use. */
export function TemplatesPage() {
  const pager = useCursorPager();
  const templates = useLoad(() => fleetjobsApi.listTemplates({ limit: 50, cursor: pager.cursor }), [pager.cursor]);
  const rows = templates.data?.value ?? [];
  return (
    <>
      <PageHeader
        title="Device templates"
        breadcrumb={<Link to={{ page: 'devices' }}>Devices</Link>}
        actions={
          <Link className="button button--primary" to={{ page: 'new-template' }}>
            New template
          </Link>
        }
      />
      <section className="card" aria-label="Template list">
        <ProblemAlert problem={templates.problem} />
        <div className="table-scroll">
          <table className="table">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Properties</th>
                <th scope="col">Settings</th>
                <th scope="col">Commands</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((t) => (
                <tr key={t.id}>
                  <td>
                    <Link to={{ page: 'template', id: t.id }} className="strong-link">
                      {t.displayName || t.id}
                    </Link>
                    <div className="muted small">
                      <code>{t.id}</code>
                    </div>
                  </td>
                  {(['property', 'setting', 'command'] as const).map((kind) => (
                    <td key={kind}>
                      {t.capabilities
                        .filter((c) => c.kind === kind)
                        .map((c) => `${c.name} (${c.schema})`)
                        .join(', ') || <span className="muted">—</span>}
                    </td>
                  ))}
                </tr>
              ))}
              {rows.length === 0 && !templates.loading && !templates.problem ? (
                <tr>
                  <td colSpan={4} className="table__empty">
                    No templates yet. Add one with New template.
                  </td>
                </tr>
              ) : null}
            </tbody>
          </table>
        </div>
        <Pager pager={pager} nextCursor={templates.data?.nextCursor} label="Pages of templates" />
      </section>
    </>
  );
}
