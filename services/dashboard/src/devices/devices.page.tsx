import { useEffect, useState } from 'react';
import { fleetjobsApi } from '../api/fleetjobs-api.client';
import { useCursorPager } from '../shared/cursor-pager.hook';
import { compactJson } from '../shared/format';
import { InlineField } from '../shared/inline-field.component';
import { Link } from '../shared/link.component';
import { loadAllPages } from '../shared/load-all-pages';
import { PageHeader } from '../shared/page-header.component';
import { Pager } from '../shared/pager.component';
import { ProblemAlert } from '../shared/problem-alert.component';
import { useLoad } from '../shared/use-load.hook';

const PAGE_SIZE = 25;

/** The fleet, a page at a time, optionally of one template. */
export function DevicesPage() {
  const [template, setTemplate] = useState('');
  const pager = useCursorPager();
  const { reset } = pager;
  const templates = useLoad(() => loadAllPages((q) => fleetjobsApi.listTemplates(q)), []);
  const devices = useLoad(() => fleetjobsApi.listDevices({ template, limit: PAGE_SIZE, cursor: pager.cursor }), [template, pager.cursor]);
  useEffect(() => reset(), [template, reset]);
  const rows = devices.data?.value ?? [];

  return (
    <>
      <PageHeader
        title="Devices"
        subtitle="Devices are kept in step with the hub: created, re-tagged and deleted there too."
        actions={
          <>
            <Link className="button" to={{ page: 'templates' }}>
              Device templates
            </Link>
            <Link className="button button--primary" to={{ page: 'new-device' }}>
              New device
            </Link>
          </>
        }
      />
      <section className="card" aria-label="Device list">
        <div className="card__header">
          <div className="filters">
            <InlineField label="Template">
              {(id) => (
                <select id={id} value={template} onChange={(e) => setTemplate(e.target.value)}>
                  <option value="">All templates</option>
                  {(templates.data ?? []).map((t) => (
                    <option key={t.id} value={t.id}>
                      {t.displayName} ({t.id})
                    </option>
                  ))}
                </select>
              )}
            </InlineField>
          </div>
        </div>
        <ProblemAlert problem={devices.problem} />
        <div className="table-scroll">
          <table className="table">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Id</th>
                <th scope="col">Template</th>
                <th scope="col">Tags</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((device) => (
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
              ))}
              {rows.length === 0 && !devices.loading && !devices.problem ? (
                <tr>
                  <td colSpan={4} className="table__empty">
                    No devices yet. Add one with New device.
                  </td>
                </tr>
              ) : null}
            </tbody>
          </table>
        </div>
        <Pager pager={pager} nextCursor={devices.data?.nextCursor} label="Pages of devices" />
      </section>
    </>
  );
}
