import { act, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it } from 'vitest';
import { Job, JobDevice, Rollout, RolloutProgress } from '../api/fleetjobs-api.types';
import { FakeAnswer, jobDevicesAnswer, stubApi } from '../testing/fake-api';
import { FakeEventSource } from '../testing/fake-event-source';
import { aJob } from '../testing/fixtures';
import { JobDetailPage } from './job-detail.page';

const rollout: Rollout = {
  batches: { size: 10 },
  successGate: { percent: 90 },
  pauseBetweenSeconds: 30,
  rate: { perMinute: 600, ramp: { startPerMinute: 60, factor: 2, afterSuccesses: 50 } },
  abort: [{ failed: { percent: 10 }, minExecuted: 20, scope: 'job', kinds: ['offline', 'timeout'] }],
  retries: { maxAttempts: 3, on: ['offline', 'timeout'], backoff: { initialMs: 1000, factor: 2, maxMs: 60000, jitter: true } },
  timeoutSeconds: 30,
};

const progress: RolloutProgress = {
  currentBatch: 1,
  batchCount: 3,
  batches: [
    { index: 0, size: 10, completed: 9, failed: 1, state: 'passed' },
    { index: 1, size: 10, completed: 3, failed: 0, state: 'running' },
  ],
  ratePerMinute: 120,
  rateReason: 'ramp: ×2 after 50 successes',
  pausedUntil: null,
};

let job: Job;
let devices: JobDevice[];
let api: ReturnType<typeof stubApi>;
let pauseAnswer: () => FakeAnswer;

const statusText = () => screen.getByTestId('job-status').textContent;
const batchRows = () => screen.queryAllByTestId('rollout-batch');
const cells = (row: HTMLElement) => within(row).getAllByRole('cell').map((c) => c.textContent);
const posts = () => api.requests.filter((r) => r.method === 'POST').map((r) => r.path);

describe('job detail: rollout', () => {
  beforeEach(() => {
    job = aJob({ rollout, rolloutProgress: progress, counts: { total: 25, pending: 12, completed: 12, failed: 1 } });
    devices = [
      { deviceId: 'vm-001', displayName: 'Vending machine 1', status: 'completed', error: null, deleted: false, attempts: 1 },
      { deviceId: 'vm-002', displayName: 'Vending machine 2', status: 'failed', error: 'offline: device not connected', deleted: false, attempts: 3 },
      { deviceId: 'vm-003', displayName: 'Vending machine 3', status: 'pending', error: null, deleted: false, attempts: null },
    ];
    pauseAnswer = () => {
      job = { ...job, status: 'paused' };
      return { status: 202, body: job };
    };
    api = stubApi({
      'GET /api/jobs/:id': () => ({ body: job }),
      'GET /api/jobs/:id/devices': (request) => jobDevicesAnswer(devices, request.query),
      'POST /api/jobs/:id/pause': () => pauseAnswer(),
      'POST /api/jobs/:id/resume': () => {
        job = { ...job, status: 'running' };
        return { status: 202, body: job };
      },
    });
    FakeEventSource.install();
  });

  it('shows each batch with its size, completed, failed and state, the batches not started as waiting', async () => {
    render(<JobDetailPage id="raise-fan-speed" />);
    const section = await screen.findByRole('region', { name: 'Rollout' });
    expect(within(section).getByRole('table', { name: 'Batches: 2 of 3' })).toBeTruthy();
    expect(batchRows().map(cells)).toEqual([
      ['Batch 1', '10', '9', '1', 'Passed'],
      ['Batch 2', '10', '3', '0', 'Running'],
      ['Batch 3', '—', '—', '—', 'Waiting'],
    ]);
  });

  it('shows the current rate and why it last changed, and the rollout as asked', async () => {
    render(<JobDetailPage id="raise-fan-speed" />);
    const section = await screen.findByRole('region', { name: 'Rollout' });
    expect(within(section).getByTestId('rollout-rate').textContent).toBe('120 / min — ramp: ×2 after 50 successes');
    const text = section.textContent ?? '';
    expect(text).toContain('10 devices each, 90 % completed before the next, 30 s between batches');
    expect(text).toContain('Ramp from 60 / min ×2 every 50 successes, up to 600 / min');
    expect(text).toContain('more than 10 % failed (offline, timeout) after 20 devices, in the job');
    expect(text).toContain('Up to 3 attempts on offline, timeout; backoff 1 s ×2 up to 60 s, with jitter');
    expect(text).toContain('30 s per device');
    expect(within(section).queryByTestId('rollout-paused-until')).toBeNull();
  });

  it('shows when the next batch starts while pausing between batches', async () => {
    job = { ...job, rolloutProgress: { ...progress, pausedUntil: new Date(Date.now() + 60_000).toISOString() } };
    render(<JobDetailPage id="raise-fan-speed" />);
    expect((await screen.findByTestId('rollout-paused-until')).textContent).toMatch(/^Next batch starts at /);
  });

  it("shows each device's attempts", async () => {
    render(<JobDetailPage id="raise-fan-speed" />);
    await waitFor(() => expect(screen.queryAllByTestId('job-device')).toHaveLength(3));
    expect(screen.getByRole('columnheader', { name: 'Attempts' })).toBeTruthy();
    expect(screen.getAllByTestId('job-device-attempts').map((c) => c.textContent)).toEqual(['1', '3', '—']);
  });

  it('shows the abort reason of a job its rollout aborted', async () => {
    job = { ...job, status: 'failed', error: 'aborted: 12 % failed > 10 % after 20 devices', endedAt: '2025-06-01T10:09:00.000Z' };
    render(<JobDetailPage id="raise-fan-speed" />);
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toBe('The rollout aborted the jobaborted: 12 % failed > 10 % after 20 devices');
    expect(screen.queryByRole('button', { name: 'Pause' })).toBeNull();
  });

  it('pauses a running job from Pause beside Stop, then resumes it', async () => {
    const user = userEvent.setup();
    render(<JobDetailPage id="raise-fan-speed" />);
    await user.click(await screen.findByRole('button', { name: 'Pause' }));
    await waitFor(() => expect(statusText()).toBe('Paused'));
    expect(screen.getByTestId('job-paused').textContent).toContain('no device operation starts until Resume');
    expect(screen.queryByRole('button', { name: 'Pause' })).toBeNull();
    expect(screen.getByRole('button', { name: 'Stop' })).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Resume' }));
    await waitFor(() => expect(statusText()).toBe('Running'));
    expect(screen.queryByTestId('job-paused')).toBeNull();
    expect(posts()).toEqual(['/api/jobs/raise-fan-speed/pause', '/api/jobs/raise-fan-speed/resume']);
  });

  it('follows a pause made elsewhere from the stream', async () => {
    render(<JobDetailPage id="raise-fan-speed" />);
    await screen.findByRole('button', { name: 'Pause' });
    await waitFor(() => expect(FakeEventSource.instances).toHaveLength(1));
    act(() => FakeEventSource.latest().emit('job', { ...job, status: 'paused' }));
    expect(statusText()).toBe('Paused');
    expect(screen.getByRole('button', { name: 'Resume' })).toBeTruthy();
    expect(FakeEventSource.latest().closed).toBe(false);
  });

  it("says why a pause was refused", async () => {
    pauseAnswer = () => ({ status: 409, body: { title: 'Conflict', status: 409, detail: 'Job "raise-fan-speed" has ended.' } });
    const user = userEvent.setup();
    render(<JobDetailPage id="raise-fan-speed" />);
    await user.click(await screen.findByRole('button', { name: 'Pause' }));
    expect((await screen.findByRole('alert')).textContent).toBe('Pause failed: Job "raise-fan-speed" has ended.');
    expect(statusText()).toBe('Running');
  });

  it('renders a job without rollout fields as before: no rollout, no attempts', async () => {
    // The answer of a server older than the rollout fields, which the contract now requires.
    const { rollout: _r, rolloutProgress: _p, ...plain } = aJob();
    job = plain as Job;
    render(<JobDetailPage id="raise-fan-speed" />);
    await waitFor(() => expect(screen.queryAllByTestId('job-device')).toHaveLength(3));
    expect(screen.queryByRole('region', { name: 'Rollout' })).toBeNull();
    expect(screen.queryByRole('columnheader', { name: 'Attempts' })).toBeNull();
  });

  it('shows the rollout as asked before its progress is known', async () => {
    job = { ...job, rolloutProgress: null };
    render(<JobDetailPage id="raise-fan-speed" />);
    const section = await screen.findByRole('region', { name: 'Rollout' });
    expect(section.textContent).toContain('10 devices each');
    expect(within(section).queryByRole('table')).toBeNull();
    expect(within(section).queryByTestId('rollout-rate')).toBeNull();
  });
});
