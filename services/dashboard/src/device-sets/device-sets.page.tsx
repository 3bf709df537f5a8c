import { fleetjobsApi } from '../api/fleetjobs-api.client';
import { useCursorPager } from '../shared/cursor-pager.hook';
import { Link } from '../shared/link.component';
import { PageHeader } from '../shared/page-header.component';
import { Pager } from '../shared/pager.component';
import { ProblemAlert } from '../shared/problem-alert.component';
import { useLoad } from '../shared/use-load.hook';
import { describeCondition } from './condition-value';

const PAGE_SIZE = 25;

/** Saved queries over devices; a broken one says why. */
export function DeviceSetsPage() {
  const pager = useCursorPager();
  const sets = useLoad(() => fleetjobsApi.listDeviceSets({ limit: PAGE_SIZE, cursor: pager.cursor }), [pager.cursor]);
  const rows = sets.data?.value ?? [];
  return (
    <>
      <PageHeader
        title="Device sets"
        subtitle="A set is evaluated when it is used, so its members follow the devices as they change."
        actions={
          <Link className="button button--primary" to={{ page: 'new-device-set' }}>
            New device set
          </Link>
        }
      />
      <section className="card" aria-label="Device set list">
        <ProblemAlert problem={sets.problem} />
        <div className="table-scroll">
          <table className="table">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col" className="sets-table__conditions">Conditions</th>
                <th scope="col">State</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((set) => (
                <tr key={set.id} data-testid="device-set-row" data-set-id={set.id}>
                  <td>
                    <Link to={{ page: 'device-set', id: set.id }} className="strong-link">
                      {set.displayName || set.id}
                    </Link>
                    <div className="muted small">
                      <code>{set.id}</code>
                    </div>
                  </td>
                  <td>
                    <ul className="conditions">
                      {set.conditions.map((c, i) => (
                        <li key={i}>
                          <code>{describeCondition(c)}</code>
                        </li>
                      ))}
                    </ul>
                  </td>
                  <td>
                    {set.broken ? (
                      <>
                        <span className="badge badge--broken">Broken</span>
                        <p className="error-text small">{set.brokenReason}</p>
                      </>
                    ) : (
                      <span className="badge badge--ok">OK</span>
                    )}
                  </td>
                </tr>
              ))}
              {rows.length === 0 && !sets.loading && !sets.problem ? (
                <tr>
                  <td colSpan={3} className="table__empty">
                    No device sets yet. Add one with New device set.
                  </td>
                </tr>
              ) : null}
            </tbody>
          </table>
        </div>
        <Pager pager={pager} nextCursor={sets.data?.nextCursor} label="Pages of device sets" />
      </section>
    </>
  );
}
