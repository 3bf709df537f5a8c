import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fleetjobsApi } from '../api/fleetjobs-api.client';
import { JobDevice } from '../api/fleetjobs-api.types';
import { jobDevicesAnswer, stubApi } from '../testing/fake-api';
import { DownloadJobDevices } from './download-job-devices.component';
import { JobDevices } from './job-devices.component';

const CSV = 'deviceId,displayName,status,error,deleted,attempts\r\nvm-002,Vending machine 2,failed,offline,false,1\r\n';
const devices: JobDevice[] = [
  { deviceId: 'vm-001', displayName: 'Vending machine 1', status: 'completed', error: null, deleted: false, attempts: 1 },
  { deviceId: 'vm-002', displayName: 'Vending machine 2', status: 'failed', error: 'offline', deleted: false, attempts: 1 },
  { deviceId: 'vm-003', displayName: 'Vending machine 3', status: 'failed', error: 'offline', deleted: false, attempts: 1 },
];

interface Saved {
  href: string;
  download: string;
  text: string;
}

let saved: Saved[];
let files: Map<string, Blob>;

beforeEach(() => {
  saved = [];
  files = new Map();
  let next = 0;
  vi.stubGlobal('URL', Object.assign(URL, {
    createObjectURL: vi.fn((file: Blob) => {
      const url = `blob:dashboard.test/${(next += 1)}`;
      files.set(url, file);
      return url;
    }),
    revokeObjectURL: vi.fn(),
  }));
  // jsdom does not download: record what the link would have saved.
  vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
    saved.push({ href: this.href, download: this.download, text: '' });
  });
  fleetjobsApi.useCredentials({ bearer: () => 'fjt_viewer_secret', unauthorized: vi.fn() });
});
afterEach(() => vi.restoreAllMocks());

function stubExport(answer: (query: URLSearchParams) => Response) {
  const api = stubApi({ 'GET /api/jobs/:id/devices': (request) => jobDevicesAnswer(devices, request.query) });
  const listFetch = api.fetch.getMockImplementation()!;
  const seen: { path: string; query: URLSearchParams; headers: Headers }[] = [];
  api.fetch.mockImplementation(async (input: string, init: RequestInit = {}) => {
    const url = new URL(input, 'http://dashboard.test');
    if (!url.pathname.endsWith('/devices.csv')) return listFetch(input, init);
    seen.push({ path: url.pathname, query: url.searchParams, headers: new Headers(init.headers) });
    return answer(url.searchParams);
  });
  return seen;
}

const csvAnswer = () =>
  new Response(CSV, { headers: { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': 'attachment; filename="raise-fan-speed-devices.csv"' } });

describe('download of a job\'s devices', () => {
  it('fetches the CSV with the signed-in credential and saves it under the name the API gives', async () => {
    const seen = stubExport(csvAnswer);
    render(<DownloadJobDevices jobId="raise-fan-speed" status="" search="" />);
    await userEvent.setup().click(screen.getByRole('button', { name: 'Download CSV' }));
    await waitFor(() => expect(saved).toHaveLength(1));
    expect(seen).toHaveLength(1);
    expect(seen[0].path).toBe('/api/jobs/raise-fan-speed/devices.csv');
    expect([...seen[0].query]).toEqual([]);
    expect(seen[0].headers.get('authorization')).toBe('Bearer fjt_viewer_secret');
    expect(saved[0].download).toBe('raise-fan-speed-devices.csv');
    expect(await files.get(saved[0].href)!.text()).toBe(CSV);
    expect((screen.getByRole('button', { name: 'Download CSV' }) as HTMLButtonElement).disabled).toBe(false);
  });

  it('downloads the devices the list\'s filters show', async () => {
    const seen = stubExport(csvAnswer);
    const user = userEvent.setup();
    render(<JobDevices jobId="raise-fan-speed" refreshKey={0} />);
    await user.selectOptions(screen.getByLabelText('Status'), 'failed');
    await waitFor(() => expect(screen.queryAllByTestId('job-device')).toHaveLength(2));
    await user.type(screen.getByLabelText('Search by device id'), 'VM-002');
    await waitFor(() => expect(screen.queryAllByTestId('job-device').map((row) => row.dataset.deviceId)).toEqual(['vm-002']));
    await user.click(screen.getByRole('button', { name: 'Download CSV' }));
    await waitFor(() => expect(saved).toHaveLength(1));
    expect(Object.fromEntries(seen[0].query)).toEqual({ status: 'failed', search: 'VM-002' });
  });

  it('says why when the API refuses, and saves nothing', async () => {
    stubExport(
      () =>
        new Response(JSON.stringify({ title: 'Job not found', status: 404, detail: 'Job "gone" does not exist.' }), {
          status: 404,
          headers: { 'content-type': 'application/problem+json' },
        }),
    );
    render(<DownloadJobDevices jobId="gone" status="" search="" />);
    await userEvent.setup().click(screen.getByRole('button', { name: 'Download CSV' }));
    expect((await screen.findByRole('alert')).textContent).toContain('Job not found');
    expect(saved).toEqual([]);
  });
});
