import { IfAllowed } from '../auth/role-gate.component';
import { useState } from 'react';
import { fleetjobsApi } from '../api/fleetjobs-api.client';
import { compactJson } from '../shared/format';
import { InlineField } from '../shared/inline-field.component';
import { Link } from '../shared/link.component';
import { loadAllPages } from '../shared/load-all-pages';
import { ListPage } from '../shared/list-page.component';
import { usePagedList } from '../shared/paged-list.hook';
import { PagedTable } from '../shared/paged-table.component';
import { useLoad } from '../shared/use-load.hook';

/** The fleet, a page at a time, optionally of one template. */
export function DevicesPage() {
  const [template, setTemplate] = useState('');
  const templates = useLoad(() => loadAllPages((q) => fleetjobsApi.listTemplates(q)), []);
  const devices = usePagedList((page) => fleetjobsApi.listDevices({ template, ...page }), [template]);

  return (
    <ListPage
      title="Devices"
      subtitle="Devices are kept in step with the hub: created, re-tagged and deleted there too."
      actions={
        <>
          <Link className="button" to={{ page: 'templates' }}>
            Device templates
          </Link>
          <IfAllowed role="builder">
            <Link className="button button--primary" to={{ page: 'new-device' }}>
              New device
            </Link>
          </IfAllowed>
        </>
      }
      label="Device list"
      filters={
        <InlineField label="Template">
          {(id) => (
            <select
              id={id}
              value={template}
              onChange={(e) => {
                setTemplate(e.target.value);
                devices.pager.reset();
              }}
            >
              <option value="">All templates</option>
              {(templates.data ?? []).map((t) => (
                <option key={t.id} value={t.id}>
                  {t.displayName} ({t.id})
                </option>
              ))}
            </select>
          )}
        </InlineField>
      }
    >
      <PagedTable
        paged={devices}
        columns={['Name', 'Id', 'Template', 'Tags']}
        row={(device) => (
          <tr key={device.id}>
            <td>
              <Link to={{ page: 'device', id: device.id }} className="strong-link">
                {device.displayName || device.id}
              </Link>
            </td>
            <td>
              <code>{device.id}</code>
            </td>
            <td>
              <Link to={{ page: 'template', id: device.template }}>{device.template}</Link>
            </td>
            <td className="table__truncate" title={compactJson(device.tags)}>
              <code>{compactJson(device.tags)}</code>
            </td>
          </tr>
        )}
        empty="No devices yet. Add one with New device."
        pagerLabel="Pages of devices"
      />
    </ListPage>
  );
}
