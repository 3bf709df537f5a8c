import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { useState } from 'react';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { Job, JobDevice } from '../api/fleetjobs-api.types';
import { jobDevicesAnswer, stubApi } from '../testing/fake-api';
import { FakeEventSource } from '../testing/fake-event-source';
import { aJob } from '../testing/fixtures';
import { JobDetailPage } from './job-detail.page';
import { JobTimeSlider } from './job-time-slider.component';

const CREATED = '2025-06-01T10:00:00.000Z';
const ENDED = '2025-06-01T10:10:00.000Z';
const slider = () => screen.getByTestId('job-time-slider') as HTMLInputElement;
const valueText = () => screen.getByTestId('job-time-value').textContent;

function Harness({ job, onChange }: { job: Job; onChange: (at: string | null) => void }) {
  const [at, setAt] = useState<string | null>(null);
  return (
    <JobTimeSlider
      job={job}
      at={at}
      onChange={(next) => {
        setAt(next);
        onChange(next);
      }}
      now={() => Date.parse('2025-06-01T10:05:00.000Z')}
    />
  );
}

describe('job time slider', () => {
  it('spans the job from its creation to its end, and starts live at the right end', () => {
    render(<Harness job={aJob({ createdAt: CREATED, endedAt: ENDED, status: 'completed' })} onChange={() => undefined} />);
    expect(slider().min).toBe('0');
    expect(slider().max).toBe('600');
    expect(slider().value).toBe('600');
    expect(valueText()).toBe('Live');
  });

  it('spans a running job up to now', () => {
    render(<Harness job={aJob({ createdAt: CREATED, endedAt: null })} onChange={() => undefined} />);
    expect(slider().max).toBe('300');
  });

  it('chooses the moment once the slider settles, and goes back to live', async () => {
    const onChange = vi.fn();
    render(<Harness job={aJob({ createdAt: CREATED, endedAt: ENDED, status: 'completed' })} onChange={onChange} />);
    fireEvent.change(slider(), { target: { value: '60' } });
    fireEvent.change(slider(), { target: { value: '90' } });
    await waitFor(() => expect(onChange).toHaveBeenCalledTimes(1));
    expect(onChange).toHaveBeenCalledWith('2025-06-01T10:01:30.000Z');
    expect(valueText()).toContain('As it was at');
    fireEvent.click(screen.getByRole('button', { name: 'Back to live' }));
    expect(onChange).toHaveBeenLastCalledWith(null);
    expect(slider().value).toBe('600');
    expect(valueText()).toBe('Live');
  });

  it('a running job that updates while the slider moves keeps the chosen moment', async () => {
    const onChange = vi.fn();
    let clock = Date.parse('2025-06-01T10:05:00.000Z');
    const running = aJob({ createdAt: CREATED, endedAt: null });
    const view = render(<JobTimeSlider job={running} at={null} onChange={onChange} now={() => clock} />);
    fireEvent.change(slider(), { target: { value: '60' } });
    clock += 3000;
    view.rerender(<JobTimeSlider job={{ ...running, counts: { ...running.counts, completed: 5 } }} at={null} onChange={onChange} now={() => clock} />);
    expect(slider().value).toBe('60');
    await waitFor(() => expect(onChange).toHaveBeenCalledWith('2025-06-01T10:01:00.000Z'));
  });

  it('dragged to the right end is live again', async () => {
    const onChange = vi.fn();
    render(<Harness job={aJob({ createdAt: CREATED, endedAt: ENDED, status: 'completed' })} onChange={onChange} />);
    fireEvent.change(slider(), { target: { value: '10' } });
    await waitFor(() => expect(onChange).toHaveBeenCalledWith('2025-06-01T10:00:10.000Z'));
    fireEvent.change(slider(), { target: { value: '600' } });
    await waitFor(() => expect(onChange).toHaveBeenLastCalledWith(null));
  });
});

describe('job detail at a moment', () => {
  let devices: JobDevice[];
  let api: ReturnType<typeof stubApi>;

  beforeEach(() => {
    devices = [
      { deviceId: 'vm-001', displayName: 'Vending machine 1', status: 'completed', error: null, deleted: false, attempts: 1 },
      { deviceId: 'vm-002', displayName: 'Vending machine 2', status: 'failed', error: 'offline', deleted: false, attempts: 1 },
    ];
    const ended = aJob({ status: 'failed', createdAt: CREATED, endedAt: ENDED, error: 'some devices failed', counts: { total: 2, pending: 0, completed: 1, failed: 1 } });
    api = stubApi({
      'GET /api/jobs/:id': (request) =>
        request.query.get('at')
          ? { body: { ...ended, status: 'paused', endedAt: null, error: null, counts: { total: 2, pending: 2, completed: 0, failed: 0 } } }
          : { body: ended },
      'GET /api/jobs/:id/devices': (request) =>
        request.query.get('at') ? jobDevicesAnswer(devices.map((device) => ({ ...device, status: 'pending', error: null })), request.query) : jobDevicesAnswer(devices, request.query),
    });
    FakeEventSource.install();
  });

  it('re-reads the job and its devices at the chosen moment, and live again after Back to live', async () => {
    render(<JobDetailPage id="raise-fan-speed" />);
    await waitFor(() => expect(screen.getByTestId('job-status').textContent).toBe('Failed'));
    fireEvent.change(slider(), { target: { value: '120' } });
    await waitFor(() => expect(screen.getByTestId('job-status').textContent).toBe('Paused'));
    const asked = api.requests.filter((request) => request.query.get('at') === '2025-06-01T10:02:00.000Z').map((request) => request.path);
    expect(asked).toContain('/api/jobs/raise-fan-speed');
    await waitFor(() => expect(api.requests.some((request) => request.path === '/api/jobs/raise-fan-speed/devices' && request.query.get('at') === '2025-06-01T10:02:00.000Z')).toBe(true));
    await waitFor(() => expect(screen.getAllByTestId('job-device').map((row) => within(row).getByText(/Pending|Completed|Failed/).textContent)).toEqual(['Pending', 'Pending']));
    expect(screen.queryByText('The job failed')).toBeNull();

    fireEvent.click(screen.getByRole('button', { name: 'Back to live' }));
    await waitFor(() => expect(screen.getByTestId('job-status').textContent).toBe('Failed'));
    await waitFor(() => expect(screen.getAllByTestId('job-device').map((row) => within(row).getByText(/Pending|Completed|Failed/).textContent)).toEqual(['Completed', 'Failed']));
  });
});
