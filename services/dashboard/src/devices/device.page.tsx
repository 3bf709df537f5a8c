import { useState } from 'react';
import { ApiProblem, asApiProblem } from '../api/api-problem';
import { fleetjobsApi } from '../api/fleetjobs-api.client';
import { navigate } from '../routing/hash-location.hook';
import { ConfirmDialog } from '../shared/confirm-dialog.component';
import { Link } from '../shared/link.component';
import { PageHeader } from '../shared/page-header.component';
import { ProblemAlert } from '../shared/problem-alert.component';
import { useLoad } from '../shared/use-load.hook';

/** One device: its name, template and tags, with Edit and Delete. */
export function DevicePage({ id }: { id: string }) {
  const device = useLoad(() => fleetjobsApi.getDevice(id), [id]);
  const [deleting, setDeleting] = useState(false);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<ApiProblem>();

  const remove = async () => {
    setBusy(true);
    try {
      await fleetjobsApi.deleteDevice(id);
      navigate({ page: 'devices' });
    } catch (error) {
      setProblem(asApiProblem(error));
      setDeleting(false);
    } finally {
      setBusy(false);
    }
  };

  const d = device.data;
  return (
    <>
      <PageHeader
        title={d?.displayName || id}
        breadcrumb={<Link to={{ page: 'devices' }}>Devices</Link>}
        actions={
          d ? (
            <>
              <button type="button" className="button button--danger" onClick={() => setDeleting(true)}>
                Delete
              </button>
              <Link className="button button--primary" to={{ page: 'edit-device', id }}>
                Edit
              </Link>
            </>
          ) : null
        }
      />
      <ProblemAlert problem={device.problem ?? problem} />
      {d ? (
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
      ) : null}
      {deleting ? (
        <ConfirmDialog title={`Delete ${d?.displayName || id}?`} confirmLabel="Delete device" danger busy={busy} onConfirm={remove} onCancel={() => setDeleting(false)}>
          <p>The device is deleted from the hub too. Jobs it took part in keep showing it, marked deleted.</p>
        </ConfirmDialog>
      ) : null}
    </>
  );
}
