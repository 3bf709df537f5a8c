import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it } from 'vitest';
import { Job } from '../api/fleetjobs-api.types';
import { signInAs } from '../testing/session';
import { jobDevicesAnswer, stubApi } from '../testing/fake-api';
import { FakeEventSource } from '../testing/fake-event-source';
import { aJob } from '../testing/fixtures';
import { JobDetailPage } from './job-detail.page';

let job: Job;
let api: ReturnType<typeof stubApi>;
let revertAnswer: { status: number; body: unknown };

const revertButton = () => screen.queryByRole('button', { name: 'Revert' });
const completed = (overrides: Partial<Job> = {}) =>
  aJob({ status: 'completed', endedAt: '2025-06-01T10:05:00.000Z', counts: { total: 25, pending: 0, completed: 25, failed: 0 }, ...overrides });

describe('revert of a property or setting job', () => {
  beforeEach(() => {
    window.location.hash = '#/job/raise-fan-speed';
    job = completed();
    revertAnswer = { status: 201, body: aJob({ id: 'undo-fan-speed', status: 'pending' }) };
    api = stubApi({
      'GET /api/jobs/:id': () => ({ body: job }),
      'GET /api/jobs/:id/devices': (request) => jobDevicesAnswer([], request.query),
      'POST /api/jobs/:id/revert': () => revertAnswer,
    });
    FakeEventSource.install();
  });

  it('asks first, naming what is put back, then creates the revert job and opens it', async () => {
    const user = userEvent.setup();
    render(<JobDetailPage id="raise-fan-speed" />);
    await user.click(await screen.findByRole('button', { name: 'Revert' }));
    const dialog = await screen.findByRole('alertdialog');
    expect(dialog.textContent).toMatch(/setting fanSpeed/);
    expect(api.requests.filter((r) => r.method === 'POST')).toEqual([]);
    await user.click(within(dialog).getByRole('button', { name: 'Revert' }));
    await waitFor(() => expect(window.location.hash).toBe('#/job/undo-fan-speed'));
    expect(api.requests.filter((r) => r.method === 'POST').map((r) => r.path)).toEqual(['/api/jobs/raise-fan-speed/revert']);
  });

  it('sends nothing when the question is cancelled', async () => {
    const user = userEvent.setup();
    render(<JobDetailPage id="raise-fan-speed" />);
    await user.click(await screen.findByRole('button', { name: 'Revert' }));
    await user.click(await screen.findByRole('button', { name: 'Cancel' }));
    expect(screen.queryByRole('alertdialog')).toBeNull();
    expect(api.requests.filter((r) => r.method === 'POST')).toEqual([]);
  });

  it('shows the reason when the API refuses the revert', async () => {
    revertAnswer = { status: 409, body: { title: 'Conflict', status: 409, detail: 'Job "raise-fan-speed" is still running; only a job that ended can be reverted.' } };
    const user = userEvent.setup();
    render(<JobDetailPage id="raise-fan-speed" />);
    await user.click(await screen.findByRole('button', { name: 'Revert' }));
    await user.click(within(await screen.findByRole('alertdialog')).getByRole('button', { name: 'Revert' }));
    expect((await screen.findByRole('alert')).textContent).toMatch(/Revert failed: .*only a job that ended can be reverted/);
    expect(window.location.hash).toBe('#/job/raise-fan-speed');
  });

  it('is not offered while the job runs, for a job of commands, or to a viewer', async () => {
    job = aJob();
    const first = render(<JobDetailPage id="raise-fan-speed" />);
    await screen.findByRole('heading', { name: 'Raise fan speed' });
    expect(revertButton()).toBeNull();
    first.unmount();

    job = completed({ operations: [{ type: 'command', name: 'reboot', value: {} }] });
    const second = render(<JobDetailPage id="raise-fan-speed" />);
    await screen.findByRole('button', { name: 'Copy to a new job' });
    expect(revertButton()).toBeNull();
    second.unmount();

    job = completed();
    signInAs('viewer');
    render(<JobDetailPage id="raise-fan-speed" />);
    await screen.findByRole('heading', { name: 'Raise fan speed' });
    expect(revertButton()).toBeNull();
  });

  it('names and links the job a revert reverts', async () => {
    job = aJob({ id: 'undo-fan-speed', revertOf: 'raise-fan-speed' });
    render(<JobDetailPage id="undo-fan-speed" />);
    const notice = await screen.findByTestId('job-revert-of');
    expect(notice.querySelector('a')?.getAttribute('href')).toBe('#/job/raise-fan-speed');
  });
});
