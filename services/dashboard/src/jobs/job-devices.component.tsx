import { useEffect, useId, useState } from 'react';
import { ApiProblem, asApiProblem } from '../api/api-problem';
import { fleetjobsApi } from '../api/fleetjobs-api.client';
import { JOB_DEVICE_STATUSES, JobDevice, JobDeviceStatus } from '../api/fleetjobs-api.types';
import { useCursorPager } from '../shared/cursor-pager.hook';
import { capitalize, formatCount } from '../shared/format';
import { InlineField } from '../shared/inline-field.component';
import { Link } from '../shared/link.component';
import { Pager } from '../shared/pager.component';
import { StatusBadge } from '../shared/status-badge.component';
import { useLoad } from '../shared/use-load.hook';
import { searchJobDevices, SEARCH_MATCH_LIMIT, SearchProgress } from './job-device-search';

const PAGE_SIZE = 20;

interface JobDevicesProps {
  jobId: string;
  /** Changes whenever the job changed, so that the page shown is read again. */
  refreshKey: number;
}

/** Every device of a job with its status and error, filtered by status or searched by id. */
export function JobDevices({ jobId, refreshKey }: JobDevicesProps) {
  const id = useId();
  const [status, setStatus] = useState<JobDeviceStatus | ''>('');
  const [searchText, setSearchText] = useState('');
  const [search, setSearch] = useState('');
  const pager = useCursorPager();
  const { reset } = pager;

  useEffect(() => {
    const timer = setTimeout(() => setSearch(searchText.trim()), 300);
    return () => clearTimeout(timer);
  }, [searchText]);
  useEffect(() => reset(), [status, search, reset]);

  const page = useLoad(
    () => (search ? Promise.resolve(null) : fleetjobsApi.listJobDevices(jobId, { status, limit: PAGE_SIZE, cursor: pager.cursor })),
    [jobId, status, search, pager.cursor, refreshKey],
  );
  const found = useDeviceSearch(jobId, search, status);
  const rows = search ? (found.progress?.matches ?? []) : (page.data?.value ?? []);
  const problem = search ? found.problem : page.problem;

  return (
    <section className="card" aria-labelledby={`${id}-title`}>
      <div className="card__header">
        <h2 id={`${id}-title`}>Devices</h2>
        <div className="filters">
          <InlineField label="Status">
            {(id) => (
              <select id={id} value={status} onChange={(e) => setStatus(e.target.value as JobDeviceStatus | '')}>
                <option value="">All</option>
                {JOB_DEVICE_STATUSES.map((s) => (
                  <option key={s} value={s}>
                    {capitalize(s)}
                  </option>
                ))}
              </select>
            )}
          </InlineField>
          <InlineField label="Search by device id">
            {(id) => (
              <input id={id} type="search" value={searchText} onChange={(e) => setSearchText(e.target.value)} placeholder="e.g. vm-001" />
            )}
          </InlineField>
        </div>
      </div>
      {problem ? (
        <div className="alert alert--error" role="alert">
          <p className="alert__title">{problem.title}</p>
          <p>{problem.detail}</p>
        </div>
      ) : null}
      <div className="table-scroll">
        <table className="table">
          <thead>
            <tr>
              <th scope="col">Device</th>
              <th scope="col">Status</th>
              <th scope="col">Error</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((device) => (
              <JobDeviceRow key={device.deviceId} device={device} />
            ))}
            {rows.length === 0 && !(search ? found.searching : page.loading) ? (
              <tr>
                <td colSpan={3} className="table__empty">
                  {search ? `No device id contains “${search}”.` : status ? `No ${status} devices.` : 'No devices yet.'}
                </td>
              </tr>
            ) : null}
          </tbody>
        </table>
      </div>
      {search ? (
        <p className="muted" aria-live="polite">
          {found.searching ? `Searching… ${formatCount(found.progress?.scanned ?? 0)} devices read` : null}
          {found.progress?.truncated ? `Showing the first ${SEARCH_MATCH_LIMIT} matches; type more of the id to narrow them.` : null}
        </p>
      ) : (
        <Pager pager={pager} nextCursor={page.data?.nextCursor} label="Pages of job devices" />
      )}
    </section>
  );
}

function JobDeviceRow({ device }: { device: JobDevice }) {
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
      <td className="error-text">{device.error ?? ''}</td>
    </tr>
  );
}

function useDeviceSearch(jobId: string, search: string, status: JobDeviceStatus | '') {
  const [progress, setProgress] = useState<SearchProgress>();
  const [problem, setProblem] = useState<ApiProblem>();
  const [searching, setSearching] = useState(false);

  useEffect(() => {
    setProgress(undefined);
    setProblem(undefined);
    if (!search) return;
    const signal = { cancelled: false };
    setSearching(true);
    searchJobDevices(jobId, search, status, (p) => !signal.cancelled && setProgress(p), signal)
      .catch((error: unknown) => !signal.cancelled && setProblem(asApiProblem(error)))
      .finally(() => !signal.cancelled && setSearching(false));
    return () => {
      signal.cancelled = true;
    };
  }, [jobId, search, status]);

  return { progress, problem, searching };
}
