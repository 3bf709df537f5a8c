import { fleetjobsApi } from '../api/fleetjobs-api.client';
import { compactJson } from '../shared/format';
import { Link } from '../shared/link.component';
import { usePagedList } from '../shared/paged-list.hook';
import { PagedTable } from '../shared/paged-table.component';

/** The devices a set holds right now, a page at a time. */
export function DeviceSetMembers({ deviceSetId }: { deviceSetId: string }) {
  const members = usePagedList((page) => fleetjobsApi.listDeviceSetMembers(deviceSetId, page), [deviceSetId]);
  return (
    <section className="card" aria-labelledby="set-members-title">
      <h2 id="set-members-title">Devices in the set now</h2>
      <PagedTable
        paged={members}
        columns={['Name', 'Id', 'Tags']}
        row={(device) => (
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
        )}
        empty="No device matches these conditions right now."
        pagerLabel="Pages of set members"
      />
    </section>
  );
}
