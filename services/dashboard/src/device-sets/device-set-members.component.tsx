import { fleetjobsApi } from '../api/fleetjobs-api.client';
import { useCursorPager } from '../shared/cursor-pager.hook';
import { compactJson } from '../shared/format';
import { Link } from '../shared/link.component';
import { Pager } from '../shared/pager.component';
import { ProblemAlert } from '../shared/problem-alert.component';
import { useLoad } from '../shared/use-load.hook';

const PAGE_SIZE = 25;

/** The devices a set holds right now, a page at a time. */
export function DeviceSetMembers({ deviceSetId }: { deviceSetId: string }) {
  const pager = useCursorPager();
  const members = useLoad(() => fleetjobsApi.listDeviceSetMembers(deviceSetId, { limit: PAGE_SIZE, cursor: pager.cursor }), [deviceSetId, pager.cursor]);
  const rows = members.data?.value ?? [];
  return (
    <section className="card" aria-labelledby="set-members-title">
      <h2 id="set-members-title">Devices in the set now</h2>
      <ProblemAlert problem={members.problem} />
      <div className="table-scroll">
        <table className="table">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Id</th>
              <th scope="col">Tags</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((device) => (
              <tr key={device.id}>
                <td>
                  <Link to={{ page: 'device', id: device.id }}>{device.displayName || device.id}</Link>
                </td>
                <td>
                  <code>{device.id}</code>
                </td>
                <td className="table__truncate" title={compactJson(device.tags)}>
                  <code>{compactJson(device.tags)}</code>
                </td>
              </tr>
            ))}
            {rows.length === 0 && !members.loading && !members.problem ? (
              <tr>
                <td colSpan={3} className="table__empty">
                  No device matches these conditions right now.
                </td>
              </tr>
            ) : null}
          </tbody>
        </table>
      </div>
      <Pager pager={pager} nextCursor={members.data?.nextCursor} label="Pages of set members" />
    </section>
  );
}
