import { act, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { JobPreview, NewJob } from '../api/fleetjobs-api.types';
import { SeenRequest, stubApi } from '../testing/fake-api';
import { JobPreviewPanel } from './job-preview.component';

const aBody = (overrides: Partial<NewJob> = {}): NewJob => ({
  displayName: 'Raise fan speed',
  deviceSet: 'seattle-vms',
  operations: [{ type: 'setting', name: 'fanSpeed', value: 5 }],
  ...overrides,
});

const aPreview = (total: number): JobPreview => ({
  targets: { total, byTemplate: [{ template: 'vending-machine', devices: total }] },
  eta: { seconds: 125, sendingSeconds: 5, pauseSeconds: 120, batches: 3, requestsPerDevice: 2, peakDevicesPerMinute: 600, limitedBy: 'rollout' },
  overlaps: [
    { jobId: 'slow-fan', displayName: 'Slow fan change', status: 'paused', sharedDevices: 10, sameWrites: [{ type: 'setting', name: 'fanSpeed' }] },
    { jobId: 'reboot-all', displayName: 'Reboot all', status: 'running', sharedDevices: 2, sameWrites: [] },
  ],
  conflict: { onConflict: 'refuse', outcome: 'create', jobs: [] },
});

let api: ReturnType<typeof stubApi>;
let answer: (request: SeenRequest) => { status?: number; body: unknown };
const previews = () => api.requests.filter((request) => request.method === 'POST' && request.path === '/api/jobs/preview');

describe('the preview before Run', () => {
  beforeEach(() => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    answer = (request) => ({ body: aPreview((request.body as NewJob).devices?.length ?? 23) });
    api = stubApi({ 'POST /api/jobs/preview': (request) => answer(request) });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('asks for nothing while the form is incomplete', async () => {
    render(<JobPreviewPanel body={null} debounceMs={50} />);
    expect(screen.getByRole('region', { name: 'Preview' }).textContent).toContain('Complete the job');
    await act(() => vi.advanceTimersByTimeAsync(200));
    expect(previews()).toHaveLength(0);
  });

  it('shows the devices per template, the ETA and the overlapping jobs with what they also write', async () => {
    render(<JobPreviewPanel body={aBody()} debounceMs={50} />);
    await act(() => vi.advanceTimersByTimeAsync(60));
    await waitFor(() => expect(screen.getByTestId('preview-total').textContent).toBe('23'));
    expect(within(screen.getByRole('list', { name: 'Devices per template' })).getByRole('listitem').textContent).toBe('vending-machine: 23');
    expect(screen.getByTestId('preview-eta').textContent).toBe('about 2 min 5 s');
    const overlaps = within(screen.getByRole('list', { name: 'Overlapping jobs' })).getAllByRole('listitem');
    expect(overlaps.map((item) => item.textContent)).toEqual([
      'Slow fan change (paused): 10 shared devices; it also writes setting fanSpeed',
      'Reboot all (running): 2 shared devices; it writes none of the same properties or settings',
    ]);
    expect(within(overlaps[0]).getByRole('link', { name: 'Slow fan change' }).getAttribute('href')).toContain('slow-fan');
    expect(previews()[0].body).toEqual(aBody());
  });

  it('says what Run would do about a job writing the same: refused, queued behind it, or beside it', async () => {
    const withConflict = (outcome: JobPreview['conflict']['outcome'], onConflict: JobPreview['conflict']['onConflict']) => ({
      ...aPreview(23),
      conflict: { onConflict, outcome, jobs: ['slow-fan'] },
    });
    answer = () => ({ body: withConflict('refuse', 'refuse') });
    const { rerender } = render(<JobPreviewPanel body={aBody()} debounceMs={50} />);
    await act(() => vi.advanceTimersByTimeAsync(60));
    await waitFor(() => expect(screen.getByTestId('preview-conflict').textContent).toBe('Run would be refused: Slow fan change writes the same on these devices. Queue the job or run it beside them.'));
    answer = () => ({ body: withConflict('queue', 'queue') });
    rerender(<JobPreviewPanel body={aBody({ onConflict: 'queue' })} debounceMs={50} />);
    await act(() => vi.advanceTimersByTimeAsync(60));
    await waitFor(() => expect(screen.getByTestId('preview-conflict').textContent).toBe('The job would wait, pending, until Slow fan change ended, then start by itself.'));
    expect(previews().at(-1)?.body).toEqual(aBody({ onConflict: 'queue' }));
  });

  it('says nothing about conflicts when no active job writes the same', async () => {
    render(<JobPreviewPanel body={aBody()} debounceMs={50} />);
    await act(() => vi.advanceTimersByTimeAsync(60));
    await waitFor(() => expect(screen.getByTestId('preview-total').textContent).toBe('23'));
    expect(screen.queryByTestId('preview-conflict')).toBeNull();
  });

  it('asks once the form rests, with the latest body, not on every change', async () => {
    const { rerender } = render(<JobPreviewPanel body={aBody({ devices: ['vm-1'] })} debounceMs={100} />);
    await act(() => vi.advanceTimersByTimeAsync(40));
    rerender(<JobPreviewPanel body={aBody({ devices: ['vm-1', 'vm-2'] })} debounceMs={100} />);
    await act(() => vi.advanceTimersByTimeAsync(40));
    rerender(<JobPreviewPanel body={aBody({ devices: ['vm-1', 'vm-2', 'vm-3'] })} debounceMs={100} />);
    await act(() => vi.advanceTimersByTimeAsync(150));
    await waitFor(() => expect(screen.getByTestId('preview-total').textContent).toBe('3'));
    expect(previews().map((request) => (request.body as NewJob).devices)).toEqual([['vm-1', 'vm-2', 'vm-3']]);
    // The same body again (a new object) is not asked again.
    rerender(<JobPreviewPanel body={aBody({ devices: ['vm-1', 'vm-2', 'vm-3'] })} debounceMs={100} />);
    await act(() => vi.advanceTimersByTimeAsync(150));
    expect(previews()).toHaveLength(1);
  });

  it('shows why the API would refuse the job, field by field', async () => {
    answer = () => ({
      status: 422,
      body: { title: 'Unprocessable request', status: 422, detail: 'The request cannot be carried out as it stands.', errors: [{ field: 'operations[0].value', message: 'must be a number' }] },
    });
    render(<JobPreviewPanel body={aBody()} debounceMs={50} />);
    await act(() => vi.advanceTimersByTimeAsync(60));
    const problems = await screen.findByRole('list', { name: 'Problems' });
    expect(screen.getByRole('status').textContent).toContain('The job would be refused');
    expect(problems.textContent).toBe('operations[0].value must be a number');
    expect(screen.queryByTestId('preview-total')).toBeNull();
  });

  it('says when no overlap exists', async () => {
    answer = () => ({ body: { ...aPreview(4), overlaps: [] } });
    render(<JobPreviewPanel body={aBody()} debounceMs={50} />);
    await act(() => vi.advanceTimersByTimeAsync(60));
    expect(await screen.findByText('No active job targets these devices.')).toBeTruthy();
  });
});
