import { useId } from 'react';
import { fleetjobsApi } from '../api/fleetjobs-api.client';
import { DeviceSet } from '../api/fleetjobs-api.types';
import { BrokenSetAlert } from '../device-sets/broken-set-alert.component';
import { Checkbox } from '../shared/checkbox.component';
import { EmptyRow } from '../shared/empty-row.component';
import { compactJson, formatCount, plural } from '../shared/format';
import { usePagedList } from '../shared/paged-list.hook';
import { Pager } from '../shared/pager.component';
import { ProblemAlert } from '../shared/problem-alert.component';
import {
  chosenCount,
  DeviceSelection,
  isChosen,
  pageCheckState,
  toggleAllOfSet,
  toggleDevice,
  togglePage,
} from './device-selection';
import { useSetSize } from './set-size.hook';

interface DevicePickerProps {
  deviceSet: DeviceSet;
  selection: DeviceSelection;
  onSelectionChange: (selection: DeviceSelection) => void;
  pageSize?: number;
  error?: string;
}

function countText(selection: DeviceSelection, size: number | null, counting: boolean): string {
  const count = chosenCount(selection, size);
  if (selection.mode === 'all-of-set') {
    if (count === null) return counting ? 'All devices of the set chosen (counting…)' : 'All devices of the set chosen';
    return `All ${plural(count, 'device')} of the set chosen`;
  }
  return count === 0 ? 'No devices chosen' : `${plural(count ?? 0, 'device')} chosen`;
}

/** The devices of a set, a page at a time, to choose the whole set or some of its devices. */
export function DevicePicker({ deviceSet, selection, onSelectionChange, pageSize = 10, error }: DevicePickerProps) {
  const id = useId();
  const { list: members, pager } = usePagedList(
    (query) => (deviceSet.broken ? Promise.resolve(null) : fleetjobsApi.listDeviceSetMembers(deviceSet.id, query)),
    [deviceSet.id, deviceSet.broken],
    pageSize,
  );
  const { size, counting } = useSetSize(deviceSet.broken ? null : deviceSet.id);
  const page = members.data?.value ?? [];
  const pageIds = page.map((d) => d.id);
  const brokenMessage = deviceSet.broken
    ? (deviceSet.brokenReason ?? 'This device set can no longer be evaluated.')
    : members.problem?.status === 409
      ? members.problem.detail || members.problem.title
      : null;
  const allOfSet = selection.mode === 'all-of-set';

  return (
    <section className={`picker${error ? ' picker--invalid' : ''}`} aria-labelledby={`${id}-title`}>
      <header className="picker__header">
        <h2 id={`${id}-title`}>
          Devices of <span className="picker__set">{deviceSet.displayName}</span>
        </h2>
        <label className="checkbox picker__all">
          <input
            type="checkbox"
            checked={allOfSet}
            disabled={Boolean(brokenMessage)}
            onChange={() => onSelectionChange(toggleAllOfSet(selection))}
          />
          All devices of the set{size !== null ? ` (${formatCount(size)})` : ''}
        </label>
        <p className="picker__count" aria-live="polite" data-testid="chosen-count">
          {countText(selection, size, counting)}
        </p>
      </header>
      {error ? (
        <p className="field__error" id={`${id}-error`}>
          {error}
        </p>
      ) : null}
      {brokenMessage ? (
        <BrokenSetAlert reason={brokenMessage} />
      ) : members.problem ? (
        <ProblemAlert problem={members.problem} summaryOnly />
      ) : (
        <>
          <div className="table-scroll">
            <table className="table table--compact" aria-describedby={error ? `${id}-error` : undefined}>
              <thead>
                <tr>
                  <th scope="col" className="table__check">
                    <Checkbox
                      state={pageCheckState(selection, pageIds)}
                      disabled={allOfSet || pageIds.length === 0 || members.loading}
                      aria-label="Choose every device on this page"
                      onChange={() => onSelectionChange(togglePage(selection, pageIds))}
                    />
                  </th>
                  <th scope="col">Name</th>
                  <th scope="col">Id</th>
                  <th scope="col">Tags</th>
                </tr>
              </thead>
              <tbody aria-busy={members.loading}>
                {page.map((device) => (
                  <tr key={device.id} className={isChosen(selection, device.id) ? 'table__row--chosen' : undefined}>
                    <td className="table__check">
                      <input
                        type="checkbox"
                        checked={isChosen(selection, device.id)}
                        disabled={allOfSet || members.loading}
                        aria-label={`Choose ${device.displayName || device.id}`}
                        onChange={() => onSelectionChange(toggleDevice(selection, device.id))}
                      />
                    </td>
                    <td>{device.displayName}</td>
                    <td>
                      <code>{device.id}</code>
                    </td>
                    <td className="table__truncate" title={compactJson(device.tags)}>
                      {compactJson(device.tags)}
                    </td>
                  </tr>
                ))}
                {!members.loading && page.length === 0 ? <EmptyRow columns={4}>This set has no devices right now.</EmptyRow> : null}
              </tbody>
            </table>
          </div>
          {allOfSet ? <p className="picker__hint">Clear “All devices of the set” to choose devices one by one.</p> : null}
          <Pager pager={pager} nextCursor={members.data?.nextCursor} label="Pages of devices" />
        </>
      )}
    </section>
  );
}
