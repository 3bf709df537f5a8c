import { useEffect, useId, useState } from 'react';
import { fleetjobsApi } from '../api/fleetjobs-api.client';
import { JOB_DEVICE_STATUSES, JobDevice, JobDeviceStatus } from '../api/fleetjobs-api.types';
import { InlineField } from '../shared/inline-field.component';
import { Link } from '../shared/link.component';
import { usePagedList } from '../shared/paged-list.hook';
import { PagedTable } from '../shared/paged-table.component';
import { StatusBadge } from '../shared/status-badge.component';
import { StatusFilter } from '../shared/status-filter.component';
import { DownloadJobDevices } from './download-job-devices.component';

const PAGE_SIZE = 20;
/** The API refuses a longer search. */
const SEARCH_MAX_LENGTH = 128;
/** Typing pauses this long before the search is sent, so each keystroke is not a request. */
const SEARCH_DEBOUNCE_MS = 300;

interface JobDevicesProps {
  jobId: string;
  /** Changes whenever the job changed, so that the page shown is read again. */
  refreshKey: number;
  /** Shows the attempts made on each device (a job with a rollout may retry). */
  showAttempts?: boolean;
  /** The devices as they were at this instant; absent: as they are now. */
  at?: string;
}

/** Every device of a job with its status and error, filtered by status and searched by id, a page at a time. */
export function JobDevices({ jobId, refreshKey, showAttempts = false, at }: JobDevicesProps) {
  const id = useId();
  const [status, setStatus] = useState<JobDeviceStatus | ''>('');
  const [searchText, setSearchText] = useState('');
  const [search, setSearch] = useState('');
  const devices = usePagedList((page) => fleetjobsApi.listJobDevices(jobId, { status, search, at, ...page }), [jobId, status, search, at, refreshKey], PAGE_SIZE);
  const { reset } = devices.pager;

  // A new filter and the return to page 1 happen in one render, so no request pairs the new
  // filter with a cursor of the old one.
  useEffect(() => {
    const text = searchText.trim();
    if (text === search) return;
    const timer = setTimeout(() => {
      setSearch(text);
      reset();
    }, SEARCH_DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [searchText, search, reset]);

  return (
    <section className="card" aria-labelledby={`${id}-title`}>
      <div className="card__header">
        <h2 id={`${id}-title`}>Devices</h2>
        <div className="filters">
          <StatusFilter
            statuses={JOB_DEVICE_STATUSES}
            value={status}
            onChange={(next) => {
              setStatus(next);
              reset();
            }}
          />
          <InlineField label="Search by device id">
            {(id) => (
              <input
                id={id}
                type="search"
                value={searchText}
                maxLength={SEARCH_MAX_LENGTH}
                onChange={(e) => setSearchText(e.target.value)}
                placeholder="e.g. vm-001"
              />
            )}
          </InlineField>
          <DownloadJobDevices jobId={jobId} status={status} search={search} at={at} />
        </div>
      </div>
      <PagedTable
        paged={devices}
        columns={showAttempts ? ['Device', 'Status', { label: 'Attempts', className: 'cell-number' }, 'Error'] : ['Device', 'Status', 'Error']}
        row={(device) => <JobDeviceRow key={device.deviceId} device={device} showAttempts={showAttempts} />}
        empty={emptyText(status, search)}
        pagerLabel="Pages of job devices"
      />
    </section>
  );
}

function emptyText(status: JobDeviceStatus | '', search: string): string {
  if (search) return `No ${status ? `${status} ` : ''}device has an id containing “${search}”.`;
  return status ? `No ${status} devices.` : 'No devices yet.';
}

function JobDeviceRow({ device, showAttempts }: { device: JobDevice; showAttempts: boolean }) {
  return (
    <tr data-testid="job-device" data-device-id={device.deviceId}>
      <td>
        {device.deleted ? (
          <span className="device-ref device-ref--deleted">
            <code>{device.deviceId}</code> <span className="badge badge--deleted">Deleted</span>
          </span>
        ) : (
          <span className="device-ref">
            <Link to={{ page: 'device', id: device.deviceId }}>{device.displayName || device.deviceId}</Link> <code>{device.deviceId}</code>
          </span>
        )}
      </td>
      <td>
        <StatusBadge status={device.status} />
      </td>
      {showAttempts ? (
        <td className="cell-number" data-testid="job-device-attempts">
          {device.attempts ?? '—'}
        </td>
      ) : null}
      <td className="error-text">{device.error ?? ''}</td>
    </tr>
  );
}
