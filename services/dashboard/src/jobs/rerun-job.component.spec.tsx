import { render, screen, waitFor } from '@testing-library/react';
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
let rerunAnswer: { status: number; body: unknown };

const rerunButton = () => screen.queryByRole('button', { name: 'Rerun on failed devices' });

describe('rerun on failed devices', () => {
  beforeEach(() => {
    window.location.hash = '#/job/raise-fan-speed';
    job = aJob({ status: 'failed', endedAt: '2025-06-01T10:05:00.000Z', counts: { total: 25, pending: 0, completed: 22, failed: 3 } });
    rerunAnswer = { status: 201, body: aJob({ id: 'raise-fan-speed-again', status: 'pending', rerunOf: 'raise-fan-speed' }) };
    api = stubApi({
      'GET /api/jobs/:id': () => ({ body: job }),
      'GET /api/jobs/:id/devices': (request) => jobDevicesAnswer([], request.query),
      'POST /api/jobs/:id/rerun': () => rerunAnswer,
    });
    FakeEventSource.install();
  });

  it('creates the rerun of the failed devices and opens it', async () => {
    const user = userEvent.setup();
    render(<JobDetailPage id="raise-fan-speed" />);
    await user.click(await screen.findByRole('button', { name: 'Rerun on failed devices' }));
    await waitFor(() => expect(window.location.hash).toBe('#/job/raise-fan-speed-again'));
    const posts = api.requests.filter((r) => r.method === 'POST');
    expect(posts.map((r) => [r.path, r.body])).toEqual([['/api/jobs/raise-fan-speed/rerun', { devices: 'failed' }]]);
  });

  it('shows the reason when the API refuses the rerun', async () => {
    rerunAnswer = {
      status: 422,
      body: { title: 'Unprocessable request', status: 422, detail: 'Job "raise-fan-speed" cannot be rerun on these devices.', errors: [{ field: 'devices', message: 'names more than 10000 failed devices' }] },
    };
    const user = userEvent.setup();
    render(<JobDetailPage id="raise-fan-speed" />);
    await user.click(await screen.findByRole('button', { name: 'Rerun on failed devices' }));
    expect((await screen.findByRole('alert')).textContent).toMatch(/cannot be rerun.*devices names more than 10000/);
    expect(window.location.hash).toBe('#/job/raise-fan-speed');
  });

  it('is not offered while the job runs, when no device failed, or to a viewer', async () => {
    job = aJob();
    const { unmount } = render(<JobDetailPage id="raise-fan-speed" />);
    await screen.findByRole('heading', { name: 'Raise fan speed' });
    expect(rerunButton()).toBeNull();
    unmount();

    job = aJob({ status: 'completed', counts: { total: 25, pending: 0, completed: 25, failed: 0 } });
    const second = render(<JobDetailPage id="raise-fan-speed" />);
    await screen.findByRole('button', { name: 'Copy to a new job' });
    expect(rerunButton()).toBeNull();
    second.unmount();

    job = aJob({ status: 'failed', counts: { total: 25, pending: 0, completed: 22, failed: 3 } });
    signInAs('viewer');
    render(<JobDetailPage id="raise-fan-speed" />);
    await screen.findByRole('heading', { name: 'Raise fan speed' });
    expect(rerunButton()).toBeNull();
  });

  it('names and links the job a rerun repeats', async () => {
    job = aJob({ id: 'raise-fan-speed-again', rerunOf: 'raise-fan-speed' });
    render(<JobDetailPage id="raise-fan-speed-again" />);
    const notice = await screen.findByTestId('job-rerun-of');
    expect(notice.querySelector('a')?.getAttribute('href')).toBe('#/job/raise-fan-speed');
  });
});
