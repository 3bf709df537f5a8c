import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it } from 'vitest';
import { Job, Schedule } from '../api/fleetjobs-api.types';
import { pageOf, stubApi } from '../testing/fake-api';
import { aJob, aSchedule } from '../testing/fixtures';
import { signInAs } from '../testing/session';
import { SchedulePage } from './schedule.page';
import { ScheduleRunNotice } from './schedule-run-notice.component';
import { SchedulesPage } from './schedules.page';

let schedule: Schedule | null;
let runs: Job[];
let api: ReturnType<typeof stubApi>;

const posts = (path: string) => api.requests.filter((r) => r.method === 'POST' && r.path === path);

beforeEach(() => {
  schedule = aSchedule();
  runs = [
    aJob({ id: 'nightly-fan.run-2', displayName: 'Nightly fan speed', status: 'pending', startedAt: null, nextStartAt: '2025-06-03T00:00:00.000Z', scheduleId: 'nightly-fan', scheduleRun: 2 }),
    aJob({ id: 'nightly-fan.run-1', displayName: 'Nightly fan speed', status: 'completed', scheduleId: 'nightly-fan', scheduleRun: 1 }),
  ];
  api = stubApi({
    'GET /api/schedules': (request) => ({ body: pageOf(schedule ? [schedule] : [], request.query) }),
    'GET /api/schedules/:id': (_, [id]) => (schedule && id === schedule.id ? { body: schedule } : undefined),
    'GET /api/jobs': (request) => ({ body: pageOf(runs.filter((job) => job.scheduleId === request.query.get('scheduleId')), request.query) }),
    'POST /api/schedules/:id/pause': () => {
      schedule = { ...schedule!, status: 'paused', nextRunAt: null, nextRunId: null };
      return { body: schedule };
    },
    'POST /api/schedules/:id/resume': () => {
      schedule = { ...schedule!, status: 'active', nextRunAt: '2025-06-04T00:00:00.000Z', nextRunId: 'nightly-fan.run-3', runs: 3 };
      return { body: schedule };
    },
    'DELETE /api/schedules/:id': () => {
      schedule = null;
      return { status: 204 };
    },
  });
});

describe('the Schedules list', () => {
  it('lists each schedule with its status, how it repeats, its next run and its runs', async () => {
    render(<SchedulesPage />);
    const row = await screen.findByTestId('schedule-row');
    expect(within(row).getByRole('link', { name: 'Nightly fan speed' }).getAttribute('href')).toBe('#/schedule/nightly-fan');
    expect(within(row).getByTestId('schedule-status').textContent).toBe('Active');
    expect(row.textContent).toContain('Every day at 02:00 (Europe/Berlin)');
    expect(row.textContent).toContain('0 2 * * *');
    expect(within(row).getByTestId('schedule-runs').textContent).toBe('2');
  });

  it('says how to make one when there is none', async () => {
    schedule = null;
    render(<SchedulesPage />);
    await screen.findByText(/No schedules yet/);
  });
});

describe('one schedule', () => {
  it('shows how it repeats, its next run, what each run does, and its runs linked to their jobs', async () => {
    render(<SchedulePage id="nightly-fan" />);
    await screen.findByRole('heading', { name: 'Nightly fan speed' });
    expect(screen.getByTestId('schedule-repeats').textContent).toContain('Every day at 02:00 (Europe/Berlin)');
    expect(screen.getByText('After 5 runs')).toBeTruthy();
    expect(within(screen.getByTestId('schedule-next-run')).getByRole('link', { name: 'nightly-fan.run-2' })).toBeTruthy();
    expect(screen.getByText('Cool down at night')).toBeTruthy();
    const rows = await screen.findAllByTestId('schedule-run');
    expect(rows.map((row) => row.getAttribute('data-job-id'))).toEqual(['nightly-fan.run-2', 'nightly-fan.run-1']);
    expect(within(rows[1]).getByRole('link', { name: 'Nightly fan speed' }).getAttribute('href')).toBe('#/job/nightly-fan.run-1');
    expect(rows[1].textContent).toContain('Completed');
    expect(api.requests.find((r) => r.path === '/api/jobs')?.query.get('scheduleId')).toBe('nightly-fan');
  });

  it("shows each run's rollout and maintenance windows", async () => {
    schedule = aSchedule({
      job: { ...aSchedule().job, rollout: { batches: { size: 5 }, rate: { mode: 'fixed', perMinute: 60 } }, windows: [{ days: ['sat'], start: '22:00', end: '04:00', timeZone: 'UTC' }] },
    });
    render(<SchedulePage id="nightly-fan" />);
    const run = await screen.findByRole('region', { name: 'Each run' });
    expect(run.textContent).toContain('5 devices each; Fixed, 60 / min');
    expect(run.textContent).toContain('sat 22:00–04:00 UTC');
  });

  it('pauses an active schedule and resumes a paused one', async () => {
    const user = userEvent.setup();
    render(<SchedulePage id="nightly-fan" />);
    await user.click(await screen.findByRole('button', { name: 'Pause' }));
    await screen.findByTestId('schedule-paused');
    expect(screen.getByTestId('schedule-status').textContent).toBe('Paused');
    expect(screen.getByTestId('schedule-next-run').textContent).toBe('None while paused');
    expect(posts('/api/schedules/nightly-fan/pause')).toHaveLength(1);
    await user.click(screen.getByRole('button', { name: 'Resume' }));
    await waitFor(() => expect(screen.getByTestId('schedule-status').textContent).toBe('Active'));
    expect(posts('/api/schedules/nightly-fan/resume')).toHaveLength(1);
  });

  it('offers neither Pause nor Resume once ended', async () => {
    schedule = aSchedule({ status: 'ended', nextRunAt: null, nextRunId: null });
    render(<SchedulePage id="nightly-fan" />);
    await screen.findByRole('heading', { name: 'Nightly fan speed' });
    expect(screen.queryByRole('button', { name: /Pause|Resume/ })).toBeNull();
    expect(screen.getByRole('button', { name: 'Delete' })).toBeTruthy();
  });

  it('deletes only once confirmed, then lists the schedules', async () => {
    const user = userEvent.setup();
    render(<SchedulePage id="nightly-fan" />);
    await user.click(await screen.findByRole('button', { name: 'Delete' }));
    const dialog = screen.getByRole('alertdialog', { name: 'Delete Nightly fan speed?' });
    expect(dialog.textContent).toContain('pending next run is stopped');
    await user.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    expect(api.requests.some((r) => r.method === 'DELETE')).toBe(false);
    await user.click(screen.getByRole('button', { name: 'Delete' }));
    await user.click(within(screen.getByRole('alertdialog')).getByRole('button', { name: 'Delete schedule' }));
    await waitFor(() => expect(window.location.hash).toBe('#/schedules'));
    expect(api.requests.filter((r) => r.method === 'DELETE').map((r) => r.path)).toEqual(['/api/schedules/nightly-fan']);
  });

  it('lets a viewer read it, without Pause, Resume or Delete', async () => {
    signInAs('viewer');
    render(<SchedulePage id="nightly-fan" />);
    await screen.findByRole('heading', { name: 'Nightly fan speed' });
    await screen.findAllByTestId('schedule-run');
    expect(screen.queryByRole('button', { name: /Pause|Resume|Delete/ })).toBeNull();
  });

  it('shows what the API says when the schedule is gone', async () => {
    render(<SchedulePage id="no-such" />);
    await screen.findByText(/GET \/api\/schedules\/no-such/);
  });
});

describe('a run on its job screen', () => {
  it('names its run and links to its schedule', () => {
    render(<ScheduleRunNotice job={aJob({ id: 'nightly-fan.run-3', scheduleId: 'nightly-fan', scheduleRun: 3 })} />);
    const notice = screen.getByTestId('job-schedule-run');
    expect(notice.textContent).toBe('Run 3 of schedule nightly-fan');
    expect(within(notice).getByRole('link').getAttribute('href')).toBe('#/schedule/nightly-fan');
  });

  it('says nothing for a job of no schedule', () => {
    render(<ScheduleRunNotice job={aJob()} />);
    expect(screen.queryByTestId('job-schedule-run')).toBeNull();
  });
});
