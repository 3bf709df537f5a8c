import { IfAllowed } from '../auth/role-gate.component';
import { fleetjobsApi } from '../api/fleetjobs-api.client';
import { DetailPage } from '../shared/detail-page.component';
import { Link } from '../shared/link.component';
import { useLoad } from '../shared/use-load.hook';

/** One device: its name, template and tags, with Edit and Delete. */
export function DevicePage({ id }: { id: string }) {
  const device = useLoad(() => fleetjobsApi.getDevice(id), [id]);
  return (
    <DetailPage
      id={id}
      item={device}
      breadcrumb={<Link to={{ page: 'devices' }}>Devices</Link>}
      deletion={{
        remove: () => fleetjobsApi.deleteDevice(id),
        then: { page: 'devices' },
        confirmLabel: 'Delete device',
        role: 'builder',
        consequence: <p>The device is deleted from the hub too. Jobs it took part in keep showing it, marked deleted.</p>,
      }}
      actions={() => (
        <IfAllowed role="builder">
          <Link className="button button--primary" to={{ page: 'edit-device', id }}>
            Edit
          </Link>
        </IfAllowed>
      )}
    >
      {(d) => (
        <section className="card">
          <dl className="definition">
            <dt>Id</dt>
            <dd>
              <code>{d.id}</code>
            </dd>
            <dt>Name</dt>
            <dd>{d.displayName}</dd>
            <dt>Template</dt>
            <dd>
              <Link to={{ page: 'template', id: d.template }}>{d.template}</Link>
            </dd>
            <dt>Tags</dt>
            <dd>
              <pre className="json">{JSON.stringify(d.tags, null, 2)}</pre>
            </dd>
          </dl>
        </section>
      )}
    </DetailPage>
  );
}
