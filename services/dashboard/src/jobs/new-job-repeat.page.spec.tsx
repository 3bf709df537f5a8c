import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it } from 'vitest';
import { FakeAnswer, pageOf, SeenRequest, stubApi } from '../testing/fake-api';
import { aJob, seattle, seattleDevices, vendingMachine } from '../testing/fixtures';
import { NewJobPage } from './new-job.page';

let createAnswer: (request: SeenRequest) => FakeAnswer;
let api: ReturnType<typeof stubApi>;

const jobPosts = () => api.requests.filter((r) => r.method === 'POST' && r.path === '/api/jobs');
const section = () => screen.getByTestId('schedule-section');

/** The error text the field's control points at with aria-describedby. */
function errorOf(control: HTMLElement): string {
  const ids = control.getAttribute('aria-describedby')?.split(' ') ?? [];
  return ids.map((id) => document.getElementById(id)?.textContent ?? '').join(' ');
}

async function fillJob(user: ReturnType<typeof userEvent.setup>) {
  await user.type(screen.getByLabelText(/^Name/), 'Fan speed every 5 s');
  await screen.findByRole('option', { name: /Seattle vending machines/ });
  await user.selectOptions(screen.getByLabelText(/^Device set/), 'seattle-vms');
  await user.click(await screen.findByRole('checkbox', { name: /All devices of the set/ }));
  await user.click(screen.getByRole('radio', { name: 'Setting' }));
  await user.click(screen.getByRole('button', { name: /Add operation/ }));
  const row = screen.getByRole('group', { name: 'Operation 1' });
  await user.selectOptions(within(row).getAllByRole('combobox')[0], 'fanSpeed');
  await user.type(within(row).getByLabelText('Value'), '3');
}

async function repeatByCron(user: ReturnType<typeof userEvent.setup>, cron: string, count: string) {
  const s = within(section());
  await user.selectOptions(s.getByLabelText('Repeat'), 'cron');
  await user.clear(s.getByLabelText('Cron expression'));
  await user.type(s.getByLabelText('Cron expression'), cron);
  await user.clear(s.getByLabelText('Time zone'));
  await user.type(s.getByLabelText('Time zone'), 'UTC');
  await user.selectOptions(s.getByLabelText('Ends'), 'count');
  await user.clear(s.getByLabelText('Number of runs'));
  await user.type(s.getByLabelText('Number of runs'), count);
}

describe('new job that repeats', () => {
  beforeEach(() => {
    createAnswer = () => ({
      status: 201,
      body: aJob({ id: 'job-42.run-1', status: 'pending', scheduleId: 'job-42', scheduleRun: 1 }),
      headers: { location: '/api/schedules/job-42' },
    });
    api = stubApi({
      'GET /api/device-sets': () => ({ body: { value: [seattle], nextCursor: null } }),
      'GET /api/device-sets/:id': () => ({ body: seattle }),
      'GET /api/device-sets/:id/devices': (request) => ({ body: pageOf(seattleDevices, request.query) }),
      'GET /api/device-templates/:id': () => ({ body: vendingMachine }),
      'POST /api/jobs': (request) => createAnswer(request),
    });
  });

  it('offers Repeat with none chosen, and sends no recurrence then', async () => {
    const user = userEvent.setup();
    render(<NewJobPage />);
    expect((within(section()).getByLabelText('Repeat') as HTMLSelectElement).value).toBe('none');
    expect(within(section()).queryByLabelText('Time zone')).toBeNull();
    await fillJob(user);
    await user.click(screen.getByRole('button', { name: 'Run' }));
    await waitFor(() => expect(jobPosts()).toHaveLength(1));
    expect(jobPosts()[0].body).not.toHaveProperty('schedule');
  });

  it('shows the next runs of a cron expression, ending at its count', async () => {
    const user = userEvent.setup();
    render(<NewJobPage />);
    await repeatByCron(user, '*/5 * * * * *', '2');
    const runs = await within(section()).findAllByTestId('next-run');
    expect(runs).toHaveLength(2);
    expect(runs[0].textContent).toMatch(/:\d\d:\d[05]/);
    expect(within(section()).getByTestId('next-runs').textContent).toContain('Cron */5 * * * * * (UTC); ends: after 2 runs.');
  });

  it('reads every week at a time as a cron expression in the zone chosen', async () => {
    const user = userEvent.setup();
    render(<NewJobPage />);
    await fillJob(user);
    const s = within(section());
    await user.selectOptions(s.getByLabelText('Repeat'), 'weekly');
    await user.selectOptions(s.getByLabelText('Day of the week'), 'sat');
    await user.clear(s.getByLabelText('Time of day'));
    await user.type(s.getByLabelText('Time of day'), '22:30');
    await user.clear(s.getByLabelText('Time zone'));
    await user.type(s.getByLabelText('Time zone'), 'Europe/Berlin');
    expect(s.getByTestId('next-runs').textContent).toContain('Every Saturday at 22:30 (Europe/Berlin); ends: never.');
    await user.click(screen.getByRole('button', { name: 'Run' }));
    await waitFor(() => expect(jobPosts()).toHaveLength(1));
    expect((jobPosts()[0].body as { schedule: unknown }).schedule).toEqual({ recurrence: { cron: '30 22 * * 6', timeZone: 'Europe/Berlin' } });
  });

  it('creates the schedule with its recurrence and opens it', async () => {
    const user = userEvent.setup();
    render(<NewJobPage />);
    await fillJob(user);
    await repeatByCron(user, '*/5 * * * * *', '2');
    await user.click(screen.getByRole('button', { name: 'Run' }));
    await waitFor(() => expect(window.location.hash).toBe('#/schedule/job-42'));
    expect((jobPosts()[0].body as { schedule: unknown }).schedule).toEqual({ recurrence: { cron: '*/5 * * * * *', timeZone: 'UTC', count: 2 } });
  });

  it('refuses a bad count before Run, beside its field', async () => {
    const user = userEvent.setup();
    render(<NewJobPage />);
    await fillJob(user);
    await repeatByCron(user, '0 2 * * *', '0');
    await user.click(screen.getByRole('button', { name: 'Run' }));
    expect(errorOf(within(section()).getByLabelText('Number of runs'))).toContain('Enter a whole number of runs, at least 1');
    expect(jobPosts()).toHaveLength(0);
  });

  it("places the API's refusal of the expression beside it", async () => {
    createAnswer = () => ({
      status: 400,
      body: { title: 'Bad request', status: 400, errors: [{ field: 'schedule.recurrence.cron', message: 'is not a cron expression: Invalid range' }] },
    });
    const user = userEvent.setup();
    render(<NewJobPage />);
    await fillJob(user);
    await repeatByCron(user, '0 2 * * 9-1', '3');
    await user.click(screen.getByRole('button', { name: 'Run' }));
    await waitFor(() => expect(errorOf(within(section()).getByLabelText('Cron expression'))).toContain('Is not a cron expression: Invalid range'));
  });
});
