import { IfAllowed } from '../auth/role-gate.component';
import { fleetjobsApi } from '../api/fleetjobs-api.client';
import { Link } from '../shared/link.component';
import { ListPage } from '../shared/list-page.component';
import { usePagedList } from '../shared/paged-list.hook';
import { PagedTable } from '../shared/paged-table.component';
import { describeCondition } from './condition-value';

/** Saved queries over devices; a broken one says why. */
export function DeviceSetsPage() {
  const sets = usePagedList((page) => fleetjobsApi.listDeviceSets(page), []);
  return (
    <ListPage
      title="Device sets"
      subtitle="A set is evaluated when it is used, so its members follow the devices as they change."
      actions={
        <IfAllowed role="builder">
          <Link className="button button--primary" to={{ page: 'new-device-set' }}>
            New device set
          </Link>
        </IfAllowed>
      }
      label="Device set list"
    >
      <PagedTable
        paged={sets}
        columns={['Name', { label: 'Conditions', className: 'sets-table__conditions' }, 'State']}
        row={(set) => (
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
        )}
        empty="No device sets yet. Add one with New device set."
        pagerLabel="Pages of device sets"
      />
    </ListPage>
  );
}
