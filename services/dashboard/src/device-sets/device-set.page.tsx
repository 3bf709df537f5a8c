import { IfAllowed } from '../auth/role-gate.component';
import { fleetjobsApi } from '../api/fleetjobs-api.client';
import { DetailPage } from '../shared/detail-page.component';
import { Link } from '../shared/link.component';
import { useLoad } from '../shared/use-load.hook';
import { BrokenSetAlert } from './broken-set-alert.component';
import { describeCondition } from './condition-value';
import { DeviceSetMembers } from './device-set-members.component';

/** One device set: its conditions, whether it is broken and why, and its devices now. */
export function DeviceSetPage({ id }: { id: string }) {
  const set = useLoad(() => fleetjobsApi.getDeviceSet(id), [id]);
  return (
    <DetailPage
      id={id}
      item={set}
      breadcrumb={<Link to={{ page: 'device-sets' }}>Device sets</Link>}
      deletion={{
        remove: () => fleetjobsApi.deleteDeviceSet(id),
        then: { page: 'device-sets' },
        confirmLabel: 'Delete set',
        role: 'builder',
        consequence: <p>Its devices stay; only this saved query goes. Jobs already run on it keep their history.</p>,
      }}
      actions={(s) => (
        <>
          <IfAllowed role="builder">
            <Link className="button" to={{ page: 'edit-device-set', id }}>
              Edit
            </Link>
          </IfAllowed>
          {!s.broken ? (
            <IfAllowed role="operator">
              <Link className="button button--primary" to={{ page: 'new-job', deviceSet: id }}>
                New job on this set
              </Link>
            </IfAllowed>
          ) : null}
        </>
      )}
    >
      {(s) => (
        <>
          {s.broken ? <BrokenSetAlert reason={s.brokenReason} /> : null}
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
          {!s.broken ? <DeviceSetMembers deviceSetId={s.id} /> : null}
        </>
      )}
    </DetailPage>
  );
}
