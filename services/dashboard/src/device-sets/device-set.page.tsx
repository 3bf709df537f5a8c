import { useState } from 'react';
import { ApiProblem, asApiProblem } from '../api/api-problem';
import { fleetjobsApi } from '../api/fleetjobs-api.client';
import { navigate } from '../routing/hash-location.hook';
import { ConfirmDialog } from '../shared/confirm-dialog.component';
import { Link } from '../shared/link.component';
import { PageHeader } from '../shared/page-header.component';
import { ProblemAlert } from '../shared/problem-alert.component';
import { useLoad } from '../shared/use-load.hook';
import { describeCondition } from './condition-value';
import { DeviceSetMembers } from './device-set-members.component';

/** One device set: its conditions, whether it is broken and why, and its devices now. */
export function DeviceSetPage({ id }: { id: string }) {
  const set = useLoad(() => fleetjobsApi.getDeviceSet(id), [id]);
  const [deleting, setDeleting] = useState(false);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<ApiProblem>();

  const remove = async () => {
    setBusy(true);
    try {
      await fleetjobsApi.deleteDeviceSet(id);
      navigate({ page: 'device-sets' });
    } catch (error) {
      setProblem(asApiProblem(error));
      setDeleting(false);
    } finally {
      setBusy(false);
    }
  };

  const s = set.data;
  return (
    <>
      <PageHeader
        title={s?.displayName || id}
        breadcrumb={<Link to={{ page: 'device-sets' }}>Device sets</Link>}
        actions={
          s ? (
            <>
              <button type="button" className="button button--danger" onClick={() => setDeleting(true)}>
                Delete
              </button>
              <Link className="button" to={{ page: 'edit-device-set', id }}>
                Edit
              </Link>
              {!s.broken ? (
                <Link className="button button--primary" to={{ page: 'new-job', deviceSet: id }}>
                  New job on this set
                </Link>
              ) : null}
            </>
          ) : null
        }
      />
      <ProblemAlert problem={set.problem ?? problem} />
      {s?.broken ? (
        <div className="alert alert--warning" role="alert">
          <p className="alert__title">This device set is broken and lists no devices</p>
          <p>{s.brokenReason}</p>
        </div>
      ) : null}
      {s ? (
        <section className="card">
          <dl className="definition">
            <dt>Id</dt>
            <dd>
              <code>{s.id}</code>
            </dd>
            <dt>Conditions</dt>
            <dd>
              <ul className="conditions">
                {s.conditions.map((c, i) => (
                  <li key={i}>
                    <code>{describeCondition(c)}</code>
                    {i < s.conditions.length - 1 ? <span className="muted"> and</span> : null}
                  </li>
                ))}
              </ul>
            </dd>
          </dl>
        </section>
      ) : null}
      {s && !s.broken ? <DeviceSetMembers deviceSetId={s.id} /> : null}
      {deleting ? (
        <ConfirmDialog title={`Delete ${s?.displayName || id}?`} confirmLabel="Delete set" danger busy={busy} onConfirm={remove} onCancel={() => setDeleting(false)}>
          <p>Its devices stay; only this saved query goes. Jobs already run on it keep their history.</p>
        </ConfirmDialog>
      ) : null}
    </>
  );
}
