import { IfAllowed } from '../auth/role-gate.component';
import { fleetjobsApi } from '../api/fleetjobs-api.client';
import { Link } from '../shared/link.component';
import { ListPage } from '../shared/list-page.component';
import { usePagedList } from '../shared/paged-list.hook';
import { PagedTable } from '../shared/paged-table.component';

const KINDS = ['property', 'setting', 'command'] as const;

/** The kinds of device, each with the properties, settings and commands a job can use. */
export function TemplatesPage() {
  const templates = usePagedList((page) => fleetjobsApi.listTemplates(page), [], 50);
  return (
    <ListPage
      title="Device templates"
      breadcrumb={<Link to={{ page: 'devices' }}>Devices</Link>}
      actions={
        <IfAllowed role="builder">
          <Link className="button button--primary" to={{ page: 'new-template' }}>
            New template
          </Link>
        </IfAllowed>
      }
      label="Template list"
    >
      <PagedTable
        paged={templates}
        columns={['Name', 'Properties', 'Settings', 'Commands']}
        row={(t) => (
          <tr key={t.id}>
            <td>
              <Link to={{ page: 'template', id: t.id }} className="strong-link">
                {t.displayName || t.id}
              </Link>
              <div className="muted small">
                <code>{t.id}</code>
              </div>
            </td>
            {KINDS.map((kind) => (
              <td key={kind}>
                {t.capabilities
                  .filter((c) => c.kind === kind)
                  .map((c) => `${c.name} (${c.schema})`)
                  .join(', ') || <span className="muted">—</span>}
              </td>
            ))}
          </tr>
        )}
        empty="No templates yet. Add one with New template."
        pagerLabel="Pages of templates"
      />
    </ListPage>
  );
}
