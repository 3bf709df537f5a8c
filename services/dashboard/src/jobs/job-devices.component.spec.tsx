import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it } from 'vitest';
import { JobDevice, JobDeviceStatus } from '../api/fleetjobs-api.types';
import { jobDevicesAnswer, SeenRequest, stubApi } from '../testing/fake-api';
import { JobDevices } from './job-devices.component';

const STATUSES: JobDeviceStatus[] = ['failed', 'completed', 'pending'];
const id = (prefix: string, n: number) => `${prefix}-${String(n).padStart(3, '0')}`;
const firstTwentyMachines = Array.from({ length: 20 }, (_, i) => id('vm', i + 1));

let devices: JobDevice[];
let api: ReturnType<typeof stubApi>;

const shownIds = () => screen.queryAllByTestId('job-device').map((row) => row.dataset.deviceId);
const searchBox = () => screen.getByLabelText('Search by device id');
const deviceRequests = () => api.requests.filter((r) => r.path === '/api/jobs/raise-fan-speed/devices');
const lastQuery = () => Object.fromEntries(deviceRequests().at(-1)!.query);
const searched = (r: SeenRequest) => r.query.get('search');

describe('job devices', () => {
  beforeEach(() => {
    // 30 vending machines cycling through the statuses (every third one failed), and 10 pending kiosks.
    devices = [
      ...Array.from({ length: 10 }, (_, i) => ({ deviceId: id('Kiosk', i + 1), displayName: null, status: 'pending' as const, error: null, deleted: false, attempts: null })),
      ...Array.from({ length: 30 }, (_, i) => ({
        deviceId: id('vm', i + 1),
        displayName: `Vending machine ${i + 1}`,
        status: STATUSES[(i + 1) % 3],
        error: null,
        deleted: false,
        attempts: null,
      })),
    ];
    api = stubApi({ 'GET /api/jobs/:id/devices': (request) => jobDevicesAnswer(devices, request.query) });
  });

  it('sends the search to the API once typing pauses, and shows only the devices whose id contains it', async () => {
    const user = userEvent.setup();
    render(<JobDevices jobId="raise-fan-speed" refreshKey={0} />);
    await waitFor(() => expect(shownIds()).toHaveLength(20));
    await user.type(searchBox(), 'kIOSK');
    await waitFor(() => expect(shownIds()).toEqual(Array.from({ length: 10 }, (_, i) => id('Kiosk', i + 1))));
    expect(deviceRequests().filter(searched).map(searched)).toEqual(['kIOSK']);
    expect(screen.queryByRole('navigation', { name: 'Pages of job devices' })).toBeNull();
  });

  it('combines the search with the status filter', async () => {
    const user = userEvent.setup();
    render(<JobDevices jobId="raise-fan-speed" refreshKey={0} />);
    await user.selectOptions(screen.getByLabelText('Status'), 'failed');
    await user.type(searchBox(), 'vm-01');
    await waitFor(() => expect(shownIds()).toEqual(['vm-012', 'vm-015', 'vm-018']));
    expect(lastQuery()).toMatchObject({ status: 'failed', search: 'vm-01' });
    await user.clear(searchBox());
    await user.type(searchBox(), 'kiosk');
    await screen.findByText('No failed device has an id containing “kiosk”.');
    await user.selectOptions(screen.getByLabelText('Status'), 'pending');
    await waitFor(() => expect(shownIds()).toHaveLength(10));
    expect(lastQuery()).toMatchObject({ status: 'pending', search: 'kiosk' });
  });

  it('pages through the search results; a new search or status starts again at the first page', async () => {
    const user = userEvent.setup();
    render(<JobDevices jobId="raise-fan-speed" refreshKey={0} />);
    await user.type(searchBox(), 'VM-0');
    await waitFor(() => expect(shownIds()).toEqual(firstTwentyMachines));
    const pages = screen.getByRole('navigation', { name: 'Pages of job devices' });
    await user.click(within(pages).getByRole('button', { name: /Next/ }));
    await waitFor(() => expect(shownIds()).toEqual(Array.from({ length: 10 }, (_, i) => id('vm', i + 21))));
    expect(lastQuery()).toMatchObject({ search: 'VM-0', cursor: 'vm-020' });
    expect(within(pages).getByText('Page 2')).toBeTruthy();
    expect(within(pages).getByRole('button', { name: /Next/ }).hasAttribute('disabled')).toBe(true);

    await user.type(searchBox(), '2');
    await waitFor(() => expect(shownIds()).toEqual(Array.from({ length: 10 }, (_, i) => id('vm', i + 20))));
    expect(deviceRequests().filter((r) => searched(r) === 'VM-02').every((r) => !r.query.has('cursor'))).toBe(true);

    await user.clear(searchBox());
    await user.type(searchBox(), 'vm');
    await waitFor(() => expect(shownIds()).toEqual(firstTwentyMachines));
    await user.click(screen.getByRole('button', { name: /Next/ }));
    await waitFor(() => expect(shownIds()[0]).toBe('vm-021'));
    await user.selectOptions(screen.getByLabelText('Status'), 'failed');
    await waitFor(() => expect(shownIds()).toEqual(Array.from({ length: 10 }, (_, i) => id('vm', 3 * (i + 1)))));
    expect(lastQuery()).toEqual({ status: 'failed', search: 'vm', limit: '20' });
  });

  it('reads the page shown again when the job changes, keeping the search and the page', async () => {
    const user = userEvent.setup();
    const { rerender } = render(<JobDevices jobId="raise-fan-speed" refreshKey={0} />);
    await user.type(searchBox(), 'vm');
    await waitFor(() => expect(shownIds()).toEqual(firstTwentyMachines));
    await user.click(screen.getByRole('button', { name: /Next/ }));
    await waitFor(() => expect(shownIds()[0]).toBe('vm-021'));
    devices = devices.map((d) => (d.deviceId === 'vm-022' ? { ...d, status: 'failed', error: 'Device is offline' } : d));
    rerender(<JobDevices jobId="raise-fan-speed" refreshKey={1} />);
    await screen.findByText('Device is offline');
    expect(lastQuery()).toMatchObject({ search: 'vm', cursor: 'vm-020' });
  });
});
