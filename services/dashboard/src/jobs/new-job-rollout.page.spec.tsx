import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it } from 'vitest';
import { FakeAnswer, pageOf, SeenRequest, stubApi } from '../testing/fake-api';
import { aJob, seattle, seattleDevices, vendingMachine } from '../testing/fixtures';
import { NewJobPage } from './new-job.page';

let createAnswer: (request: SeenRequest) => FakeAnswer;
let api: ReturnType<typeof stubApi>;
type User = ReturnType<typeof userEvent.setup>;

const jobPosts = () => api.requests.filter((r) => r.method === 'POST' && r.path === '/api/jobs');
const section = () => screen.getByTestId('rollout-section');
const field = (label: string | RegExp) => within(section()).getByLabelText(label) as HTMLInputElement;

function errorOf(control: HTMLElement): string {
  const ids = control.getAttribute('aria-describedby')?.split(' ') ?? [];
  return ids.map((id) => document.getElementById(id)?.textContent ?? '').join(' ');
}

async function fillJob(user: User, { wholeSet = true } = {}) {
  await user.type(screen.getByLabelText(/^Name/), 'Raise fan speed');
  await screen.findByRole('option', { name: /Seattle vending machines/ });
  await user.selectOptions(screen.getByLabelText(/^Device set/), 'seattle-vms');
  const all = await screen.findByRole('checkbox', { name: /All devices of the set/ });
  if (wholeSet) await user.click(all);
  await user.click(screen.getByRole('radio', { name: 'Setting' }));
  await user.click(screen.getByRole('button', { name: /Add operation/ }));
  const row = screen.getByRole('group', { name: 'Operation 1' });
  await user.selectOptions(within(row).getAllByRole('combobox')[0], 'fanSpeed');
  await user.type(within(row).getByLabelText('Value'), '5');
}

async function replace(user: User, input: HTMLElement, text: string) {
  await user.clear(input);
  if (text) await user.type(input, text);
}

async function openRollout(user: User) {
  await user.click(within(section()).getByRole('checkbox', { name: /Roll out in batches/ }));
}

describe('new job: rollout section', () => {
  beforeEach(() => {
    createAnswer = () => ({ status: 201, body: aJob({ id: 'job-42' }), headers: { location: '/api/jobs/job-42' } });
    api = stubApi({
      'GET /api/device-sets': () => ({ body: { value: [seattle], nextCursor: null } }),
      'GET /api/device-sets/:id': () => ({ body: seattle }),
      'GET /api/device-sets/:id/devices': (request) => ({ body: pageOf(seattleDevices, request.query) }),
      'GET /api/device-templates/:id': () => ({ body: vendingMachine }),
      'POST /api/jobs': (request) => createAnswer(request),
    });
  });

  it('is collapsed by default, and a job run from it has no rollout', async () => {
    const user = userEvent.setup();
    render(<NewJobPage />);
    const toggle = within(section()).getByRole('checkbox', { name: /Roll out in batches/ });
    expect((toggle as HTMLInputElement).checked).toBe(false);
    expect(toggle.getAttribute('aria-expanded')).toBe('false');
    expect(within(section()).queryByRole('group', { name: 'Batches' })).toBeNull();
    await fillJob(user);
    await user.click(screen.getByRole('button', { name: 'Run' }));
    await waitFor(() => expect(jobPosts()).toHaveLength(1));
    expect(jobPosts()[0].body).not.toHaveProperty('rollout');
  });

  it('opens on quarter batches behind a 90 % gate, no cap, no abort rule, no retries and the deployment timeout', async () => {
    const user = userEvent.setup();
    render(<NewJobPage />);
    await openRollout(user);
    expect((within(section()).getByRole('radio', { name: 'By percent' }) as HTMLInputElement).checked).toBe(true);
    expect(field('Percent per batch').value).toBe('25');
    expect(field('Completed (%)').value).toBe('90');
    expect(field('Pause (s)').value).toBe('0');
    expect((within(section()).getByRole('radio', { name: 'No cap' }) as HTMLInputElement).checked).toBe(true);
    expect(within(section()).queryAllByRole('group', { name: /^Abort rule \d/ })).toHaveLength(0);
    expect((within(section()).getByRole('checkbox', { name: 'Retry failed devices' }) as HTMLInputElement).checked).toBe(false);
    expect(field('Timeout per device (s)').value).toBe('');

    await fillJob(user);
    await user.click(screen.getByRole('button', { name: 'Run' }));
    await waitFor(() => expect(jobPosts()).toHaveLength(1));
    expect((jobPosts()[0].body as { rollout: unknown }).rollout).toEqual({ batches: { percent: 25 }, successGate: { percent: 90 }, pauseBetweenSeconds: 0 });
  });

  it('sends the batches and ramped rate the operator set, and a timeout', async () => {
    const user = userEvent.setup();
    render(<NewJobPage />);
    await fillJob(user);
    await openRollout(user);
    await user.click(within(section()).getByRole('radio', { name: 'By size' }));
    await replace(user, field('Devices per batch'), '10');
    await replace(user, field('Pause (s)'), '30');
    await user.click(within(section()).getByRole('radio', { name: 'Fixed' }));
    expect(field('Cap per minute').value).toBe('600');
    await user.click(within(section()).getByRole('checkbox', { name: 'Ramp up' }));
    await replace(user, field('Start per minute'), '30');
    await replace(user, field('Timeout per device (s)'), '20');
    await user.click(screen.getByRole('button', { name: 'Run' }));

    await waitFor(() => expect(window.location.hash).toBe('#/job/job-42'));
    expect(jobPosts()[0].body).toEqual({
      displayName: 'Raise fan speed',
      deviceSet: 'seattle-vms',
      operations: [{ type: 'setting', name: 'fanSpeed', value: 5 }],
      rollout: {
        batches: { size: 10 },
        successGate: { percent: 90 },
        pauseBetweenSeconds: 30,
        rate: { perMinute: 600, ramp: { startPerMinute: 30, factor: 2, afterSuccesses: 50 } },
        timeoutSeconds: 20,
      },
    });
  });

  it('sends the abort rule and retries the operator set', async () => {
    const user = userEvent.setup();
    render(<NewJobPage />);
    await fillJob(user);
    await openRollout(user);
    await user.click(within(section()).getByRole('radio', { name: 'One batch' }));
    await user.click(within(section()).getByRole('button', { name: /Add abort rule/ }));
    const rule = within(section()).getByRole('group', { name: 'Abort rule 1' });
    await replace(user, within(rule).getByLabelText('Failed over (%)'), '20');
    await replace(user, within(rule).getByLabelText('Min. executed'), '5');
    await user.selectOptions(within(rule).getByLabelText('Scope'), 'batch');
    await user.click(within(rule).getByRole('checkbox', { name: 'offline' }));
    await user.click(within(section()).getByRole('checkbox', { name: 'Retry failed devices' }));
    await replace(user, field('Maximum attempts'), '4');
    await user.click(within(within(section()).getByRole('group', { name: 'Retry on' })).getByRole('checkbox', { name: 'throttled' }));
    await user.click(screen.getByRole('button', { name: 'Run' }));

    await waitFor(() => expect(jobPosts()).toHaveLength(1));
    expect((jobPosts()[0].body as { rollout: unknown }).rollout).toEqual({
      abort: [{ failed: { percent: 20 }, minExecuted: 5, scope: 'batch', kinds: ['offline'] }],
      retries: { maxAttempts: 4, on: ['offline', 'timeout', 'hub'], backoff: { initialMs: 1000, factor: 2, maxMs: 60000, jitter: true } },
    });
  });

  it('sends an adaptive rate between its floor and ceiling', async () => {
    const user = userEvent.setup();
    render(<NewJobPage />);
    await fillJob(user);
    await openRollout(user);
    await user.click(within(section()).getByRole('radio', { name: 'One batch' }));
    await user.click(within(section()).getByRole('radio', { name: 'Adaptive' }));
    await replace(user, field('Minimum per minute'), '120');
    await user.click(screen.getByRole('button', { name: 'Run' }));
    await waitFor(() => expect(jobPosts()).toHaveLength(1));
    expect((jobPosts()[0].body as { rollout: unknown }).rollout).toEqual({ rate: { mode: 'adaptive', minPerMinute: 120, maxPerMinute: 6000 } });
  });

  it('refuses values the API would refuse, each beside its field, and sends nothing', async () => {
    const user = userEvent.setup();
    render(<NewJobPage />);
    await fillJob(user);
    await openRollout(user);
    await replace(user, field('Percent per batch'), '0');
    await replace(user, field('Completed (%)'), '120');
    await user.click(within(section()).getByRole('radio', { name: 'Adaptive' }));
    await replace(user, field('Minimum per minute'), '7000');
    await user.click(within(section()).getByRole('button', { name: /Add abort rule/ }));
    const rule = within(section()).getByRole('group', { name: 'Abort rule 1' });
    await user.selectOptions(within(rule).getByLabelText('Threshold'), 'count');
    await replace(user, within(rule).getByLabelText('Failed count'), '2.5');
    await user.click(within(section()).getByRole('checkbox', { name: 'Retry failed devices' }));
    await replace(user, field('Maximum attempts'), '11');
    await replace(user, field('Timeout per device (s)'), '0');
    await user.click(screen.getByRole('button', { name: 'Run' }));

    expect(errorOf(field('Percent per batch'))).toContain('Enter a number above 0 and at most 100');
    expect(errorOf(field('Completed (%)'))).toContain('Enter a number above 0 and at most 100');
    expect(errorOf(field('Minimum per minute'))).toContain('Must not be greater than the maximum');
    expect(errorOf(within(rule).getByLabelText('Failed count'))).toContain('Enter a whole number of at least 1');
    expect(errorOf(field('Maximum attempts'))).toContain('Enter a whole number from 1 to 10');
    expect(errorOf(field('Timeout per device (s)'))).toContain('Enter a whole number from 1 to 300');
    expect(field('Timeout per device (s)').getAttribute('aria-invalid')).toBe('true');
    expect(errorOf(field('Maximum per minute'))).toBe('');
    expect(jobPosts()).toHaveLength(0);
  });

  it('refuses a batch larger than the devices chosen one by one', async () => {
    const user = userEvent.setup();
    render(<NewJobPage />);
    await fillJob(user, { wholeSet: false });
    await screen.findByRole('checkbox', { name: 'Choose Vending machine 1' });
    await user.click(screen.getByRole('checkbox', { name: 'Choose every device on this page' }));
    await openRollout(user);
    await user.click(within(section()).getByRole('radio', { name: 'By size' }));
    await replace(user, field('Devices per batch'), '11');
    await user.click(screen.getByRole('button', { name: 'Run' }));
    expect(errorOf(field('Devices per batch'))).toContain("Must not be greater than the job's 10 devices");
    expect(jobPosts()).toHaveLength(0);
  });

  it("shows the API's refusal of a rollout field beside it, and the rest on the section", async () => {
    createAnswer = () => ({
      status: 422,
      body: {
        title: 'Job refused',
        status: 422,
        detail: 'The job cannot be created.',
        errors: [
          { field: 'rollout.batches.size', message: "must not be greater than the job's 20 devices" },
          { field: 'rollout.abort.0.kinds', message: 'each must be one of offline, timeout, rejected, hub, throttled' },
          { field: 'rollout.speed', message: 'property speed should not exist' },
        ],
      },
    });
    const user = userEvent.setup();
    render(<NewJobPage />);
    await fillJob(user);
    await openRollout(user);
    await user.click(within(section()).getByRole('radio', { name: 'By size' }));
    await replace(user, field('Devices per batch'), '21');
    await user.click(within(section()).getByRole('button', { name: /Add abort rule/ }));
    await user.click(screen.getByRole('button', { name: 'Run' }));

    await waitFor(() => expect(errorOf(field('Devices per batch'))).toContain("Must not be greater than the job's 20 devices"));
    const kinds = within(within(section()).getByRole('group', { name: 'Abort rule 1' })).getByRole('group', { name: 'Counted failures' });
    expect(errorOf(kinds)).toContain('Each must be one of offline');
    expect(within(section()).getByRole('alert').textContent).toContain('Property speed should not exist');
    expect(window.location.hash).toBe('');
  });

  it('copies the rollout of the job it starts from', async () => {
    api = stubApi({
      'GET /api/device-sets': () => ({ body: { value: [seattle], nextCursor: null } }),
      'GET /api/device-sets/:id': () => ({ body: seattle }),
      'GET /api/device-sets/:id/devices': (request) => ({ body: pageOf(seattleDevices, request.query) }),
      'GET /api/device-templates/:id': () => ({ body: vendingMachine }),
      'POST /api/jobs/:id/copy': () => ({
        status: 200,
        body: { displayName: 'Raise fan speed', description: '', deviceSet: 'seattle-vms', operations: [{ type: 'setting', name: 'fanSpeed', value: 5 }], rollout: { batches: { size: 5 }, rate: { mode: 'adaptive', minPerMinute: 10, maxPerMinute: 100 } } },
      }),
    });
    render(<NewJobPage copyOf="stopped-one" />);
    await waitFor(() => expect(field('Devices per batch').value).toBe('5'));
    expect((within(section()).getByRole('radio', { name: 'Adaptive' }) as HTMLInputElement).checked).toBe(true);
    expect(field('Maximum per minute').value).toBe('100');
  });
});
