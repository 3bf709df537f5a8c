import { act, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it } from 'vitest';
import { Job, JobDevice } from '../api/fleetjobs-api.types';
import { jobDevicesAnswer, stubApi } from '../testing/fake-api';
import { FakeEventSource } from '../testing/fake-event-source';
import { aJob } from '../testing/fixtures';
import { JobDetailPage } from './job-detail.page';

let job: Job;
let devices: JobDevice[];
let api: ReturnType<typeof stubApi>;

const statusText = () => screen.getByTestId('job-status').textContent;
const deviceRows = () => screen.queryAllByTestId('job-device');

describe('job detail', () => {
  beforeEach(() => {
    job = aJob();
    devices = [
      { deviceId: 'vm-001', displayName: 'Vending machine 1', status: 'completed', error: null, deleted: false, attempts: 1 },
      { deviceId: 'vm-002', displayName: 'Vending machine 2', status: 'failed', error: 'Setting fanSpeed was not acknowledged within 30 s', deleted: false, attempts: 1 },
      { deviceId: 'vm-003', displayName: null, status: 'pending', error: null, deleted: true, attempts: null },
    ];
    api = stubApi({
      'GET /api/jobs/:id': () => ({ body: job }),
      'GET /api/jobs/:id/devices': (request) => jobDevicesAnswer(devices, request.query),
      'POST /api/jobs/:id/stop': () => {
        job = { ...job, status: 'stopped', endedAt: '2025-06-01T10:05:00.000Z' };
        return { status: 202, body: job };
      },
    });
    FakeEventSource.install();
  });

  it('shows the definition, counts and every device with its status and error', async () => {
    render(<JobDetailPage id="raise-fan-speed" />);
    await screen.findByRole('heading', { name: 'Raise fan speed' });
    expect(statusText()).toBe('Running');
    expect(screen.getByText('Hot week in Seattle')).toBeTruthy();
    expect(screen.getByText('fanSpeed')).toBeTruthy();
    expect(screen.getByRole('progressbar').getAttribute('aria-label')).toBe('4 succeeded, 1 failed, 20 pending of 25');
    await waitFor(() => expect(deviceRows()).toHaveLength(3));
    const failed = deviceRows()[1];
    expect(within(failed).getByText('Failed')).toBeTruthy();
    expect(within(failed).getByText('Setting fanSpeed was not acknowledged within 30 s')).toBeTruthy();
  });

  it('shows a deleted device as deleted, with its id, and no link', async () => {
    render(<JobDetailPage id="raise-fan-speed" />);
    await waitFor(() => expect(deviceRows()).toHaveLength(3));
    const deleted = deviceRows()[2];
    expect(within(deleted).getByText('Deleted')).toBeTruthy();
    expect(within(deleted).getByText('vm-003')).toBeTruthy();
    expect(within(deleted).queryByRole('link')).toBeNull();
    expect(within(deviceRows()[0]).getByRole('link', { name: 'Vending machine 1' }).getAttribute('href')).toBe('#/device/vm-001');
  });

  it('filters the devices by status and searches them by id', async () => {
    const user = userEvent.setup();
    render(<JobDetailPage id="raise-fan-speed" />);
    await waitFor(() => expect(deviceRows()).toHaveLength(3));
    await user.selectOptions(screen.getByLabelText('Status'), 'failed');
    await waitFor(() => expect(deviceRows().map((r) => r.dataset.deviceId)).toEqual(['vm-002']));
    expect(api.requests.some((r) => r.path === '/api/jobs/raise-fan-speed/devices' && r.query.get('status') === 'failed')).toBe(true);
    await user.selectOptions(screen.getByLabelText('Status'), '');
    await user.type(screen.getByLabelText('Search by device id'), '003');
    await waitFor(() => expect(deviceRows().map((r) => r.dataset.deviceId)).toEqual(['vm-003']));
  });

  it('follows the job live from the stream, devices included', async () => {
    render(<JobDetailPage id="raise-fan-speed" />);
    await screen.findByRole('heading', { name: 'Raise fan speed' });
    await waitFor(() => expect(FakeEventSource.instances).toHaveLength(1));
    const stream = FakeEventSource.latest();
    expect(stream.url).toBe('/api/jobs/raise-fan-speed/stream');
    devices = devices.map((d) => ({ ...d, status: d.status === 'pending' ? 'completed' : d.status }));
    act(() => stream.emit('job', aJob({ status: 'failed', endedAt: '2025-06-01T10:02:00.000Z', counts: { total: 25, pending: 0, completed: 24, failed: 1 } })));
    expect(statusText()).toBe('Failed');
    expect(screen.getByRole('progressbar').getAttribute('aria-label')).toBe('24 succeeded, 1 failed, 0 pending of 25');
    expect(stream.closed).toBe(true);
    await waitFor(() => expect(within(deviceRows()[2]).getByText('Completed')).toBeTruthy(), { timeout: 4000 });
  });

  it('falls back to polling when the stream fails', async () => {
    render(<JobDetailPage id="raise-fan-speed" />);
    await screen.findByRole('heading', { name: 'Raise fan speed' });
    await waitFor(() => expect(FakeEventSource.instances).toHaveLength(1));
    act(() => FakeEventSource.latest().emit('error'));
    expect(screen.getByText('Updating every 2 s')).toBeTruthy();
    job = aJob({ status: 'completed', counts: { total: 25, pending: 0, completed: 25, failed: 0 } });
    await waitFor(() => expect(statusText()).toBe('Completed'), { timeout: 5000 });
  });

  it('stops after a confirmation that says a stopped job cannot be restarted, then offers a copy', async () => {
    const user = userEvent.setup();
    render(<JobDetailPage id="raise-fan-speed" />);
    await user.click(await screen.findByRole('button', { name: 'Stop' }));
    const dialog = screen.getByRole('alertdialog', { name: /Stop “Raise fan speed”/ });
    expect(dialog.textContent).toContain('A stopped job cannot be restarted');
    expect(document.activeElement).toBe(within(dialog).getByRole('button', { name: 'Keep running' }));
    await user.click(within(dialog).getByRole('button', { name: 'Stop job' }));
    await waitFor(() => expect(statusText()).toBe('Stopped'));
    expect(api.requests.filter((r) => r.method === 'POST').map((r) => r.path)).toEqual(['/api/jobs/raise-fan-speed/stop']);
    expect(screen.queryByRole('button', { name: 'Stop' })).toBeNull();
    await user.click(screen.getByRole('button', { name: 'Copy to a new job' }));
    expect(window.location.hash).toBe('#/jobs/new?copy=raise-fan-speed');
  });

  it('cancelling the confirmation leaves the job running', async () => {
    const user = userEvent.setup();
    render(<JobDetailPage id="raise-fan-speed" />);
    await user.click(await screen.findByRole('button', { name: 'Stop' }));
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('alertdialog')).toBeNull();
    expect(api.requests.some((r) => r.method === 'POST')).toBe(false);
  });
});
