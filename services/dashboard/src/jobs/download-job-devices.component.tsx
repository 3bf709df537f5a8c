import { useState } from 'react';
import { ApiProblem, asApiProblem } from '../api/api-problem';
import { fleetjobsApi } from '../api/fleetjobs-api.client';
import { JobDeviceStatus } from '../api/fleetjobs-api.types';
import { ProblemAlert } from '../shared/problem-alert.component';

interface DownloadJobDevicesProps {
  jobId: string;
  /** The filters the device list shows; the file holds the same devices, all pages of them. */
  status: JobDeviceStatus | '';
  search: string;
  /** The moment the list shows, if not now. */
  at?: string;
}

/** Saves a file the way a link with `download` does. */
function save(file: Blob, filename: string): void {
  const url = URL.createObjectURL(file);
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  // The browser has taken the file once the click has been handled.
  setTimeout(() => URL.revokeObjectURL(url), 0);
}

/** "Download CSV": every device of the job that passes the list's filters, fetched with the signed-in credential. */
export function DownloadJobDevices({ jobId, status, search, at }: DownloadJobDevicesProps) {
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<ApiProblem>();

  const download = async () => {
    setBusy(true);
    setProblem(undefined);
    try {
      const { file, filename } = await fleetjobsApi.downloadJobDevices(jobId, 'csv', { status, search, at });
      save(file, filename);
    } catch (error) {
      setProblem(asApiProblem(error));
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <button type="button" className="button" onClick={download} disabled={busy} aria-busy={busy}>
        {busy ? 'Downloading…' : 'Download CSV'}
      </button>
      <ProblemAlert problem={problem} />
    </>
  );
}
