import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it } from 'vitest';
import { FakeAnswer, SeenRequest, stubApi, pageOf } from '../testing/fake-api';
import { aJob, orphans, seattle, seattleDevices, vendingMachine } from '../testing/fixtures';
import { NewJobPage } from './new-job.page';

let createAnswer: (request: SeenRequest) => FakeAnswer;
let api: ReturnType<typeof stubApi>;

const jobPosts = () => api.requests.filter((r) => r.method === 'POST' && r.path === '/api/jobs');

/** The error text the field's control points at with aria-describedby. */
function errorOf(control: HTMLElement): string {
  const ids = control.getAttribute('aria-describedby')?.split(' ') ?? [];
  return ids.map((id) => document.getElementById(id)?.textContent ?? '').join(' ');
}

async function fillBasics(user: ReturnType<typeof userEvent.setup>, type: 'Setting' | 'Property' | 'Command' = 'Setting') {
  await user.type(screen.getByLabelText(/^Name/), 'Raise fan speed');
  await screen.findByRole('option', { name: /Seattle vending machines/ });
  await user.selectOptions(screen.getByLabelText(/^Device set/), 'seattle-vms');
  await screen.findByRole('checkbox', { name: /All devices of the set/ });
  await user.click(screen.getByRole('radio', { name: type }));
}

async function addOperation(user: ReturnType<typeof userEvent.setup>, name: string, value?: string) {
  const before = screen.queryAllByRole('group', { name: /^Operation \d/ }).length;
  await user.click(screen.getByRole('button', { name: /Add operation/ }));
  const row = screen.getAllByRole('group', { name: /^Operation \d/ })[before];
  await user.selectOptions(within(row).getAllByRole('combobox')[0], name);
  if (value !== undefined) {
    const input = within(row).getByLabelText('Value');
    await user.clear(input);
    if (value) await user.type(input, value.replace(/[{[]/g, '$&$&'));
  }
  return row;
}

describe('new job', () => {
  beforeEach(() => {
    createAnswer = () => ({ status: 201, body: aJob({ id: 'job-42' }), headers: { location: '/api/jobs/job-42' } });
    api = stubApi({
      'GET /api/device-sets': () => ({ body: { value: [seattle, orphans], nextCursor: null } }),
      'GET /api/device-sets/:id': (_, [id]) => (id === seattle.id ? { body: seattle } : id === orphans.id ? { body: orphans } : undefined),
      'GET /api/device-sets/:id/devices': (request, [id]) =>
        id === seattle.id ? { body: pageOf(seattleDevices, request.query) } : { status: 409, body: { title: 'Conflict', detail: orphans.brokenReason } },
      'GET /api/device-templates/:id': (_, [id]) => (id === vendingMachine.id ? { body: vendingMachine } : undefined),
      'POST /api/jobs/:id/copy': (_, [id]) =>
        id === 'stopped-one'
          ? { status: 200, body: { displayName: 'Raise fan speed', description: '', deviceSet: 'seattle-vms', devices: ['vm-003', 'vm-004'], operations: [{ type: 'command', name: 'reboot', value: { delay: 5 } }] } }
          : undefined,
      'POST /api/jobs': (request) => createAnswer(request),
      'POST /api/jobs/preview': (request) => {
        const body = request.body as { operations: { name: string }[]; onConflict?: 'refuse' | 'queue' | 'allow' };
        const fan = body.operations[0]?.name === 'fanSpeed';
        const onConflict = body.onConflict ?? 'refuse';
        return {
          body: {
            targets: { total: 3, byTemplate: [{ template: 'vending-machine', devices: 3 }] },
            eta: { seconds: 0, sendingSeconds: 0, pauseSeconds: 0, batches: 1, requestsPerDevice: 2, peakDevicesPerMinute: null, limitedBy: 'none' },
            overlaps: fan ? [{ jobId: 'slow-fan', displayName: 'Slow fan change', status: 'paused', sharedDevices: 3, sameWrites: [{ type: 'setting', name: 'fanSpeed' }] }] : [],
            conflict: { onConflict, outcome: fan ? (onConflict === 'allow' ? 'create' : onConflict) : 'create', jobs: fan ? ['slow-fan'] : [] },
          },
        };
      },
    });
  });

  it('"+" adds operations chosen from the template, only of the job type', async () => {
    const user = userEvent.setup();
    render(<NewJobPage />);
    await fillBasics(user);
    await user.click(screen.getByRole('button', { name: /Add operation/ }));
    await user.click(screen.getByRole('button', { name: /Add operation/ }));
    const rows = screen.getAllByRole('group', { name: /^Operation \d/ });
    expect(rows).toHaveLength(2);
    const options = within(rows[1]).getAllByRole('option').map((o) => o.textContent);
    expect(options).toEqual(['Choose…', 'fanSpeed (number)', 'ecoMode (boolean)', 'display (object)']);
    await user.click(screen.getByRole('radio', { name: 'Command' }));
    expect(screen.queryAllByRole('group', { name: /^Operation \d/ })).toHaveLength(0);
    await user.click(screen.getByRole('button', { name: /Add operation/ }));
    expect(within(screen.getByRole('group', { name: 'Operation 1' })).getAllByRole('option').map((o) => o.textContent)).toEqual(['Choose…', 'reboot (object)']);
  });

  it('gives each value an input that fits its schema', async () => {
    const user = userEvent.setup();
    render(<NewJobPage />);
    await fillBasics(user);
    const eco = await addOperation(user, 'ecoMode');
    expect(within(eco).getByLabelText('Value').tagName).toBe('SELECT');
    const display = await addOperation(user, 'display');
    expect(within(display).getByLabelText('Value').tagName).toBe('TEXTAREA');
    expect((within(display).getByLabelText('Value') as HTMLTextAreaElement).value).toBe('{}');
    const speed = await addOperation(user, 'fanSpeed');
    expect(within(speed).getByLabelText('Value').getAttribute('inputmode')).toBe('decimal');
  });

  it('validates every value against its schema before Run, beside the field', async () => {
    const user = userEvent.setup();
    render(<NewJobPage />);
    await fillBasics(user);
    const speed = await addOperation(user, 'fanSpeed', 'fast');
    const eco = await addOperation(user, 'ecoMode');
    const display = await addOperation(user, 'display', '[1, 2]');
    await user.click(screen.getByRole('checkbox', { name: /All devices of the set/ }));
    await user.click(screen.getByRole('button', { name: 'Run' }));
    expect(errorOf(within(speed).getByLabelText('Value'))).toContain('Enter a number');
    expect(errorOf(within(eco).getByLabelText('Value'))).toContain('Choose true or false');
    expect(errorOf(within(display).getByLabelText('Value'))).toContain('Enter a JSON object');
    expect(within(speed).getByLabelText('Value').getAttribute('aria-invalid')).toBe('true');
    expect(jobPosts()).toHaveLength(0);
  });

  it('asks for a name, operations and devices before Run', async () => {
    const user = userEvent.setup();
    render(<NewJobPage />);
    await screen.findByRole('option', { name: /Seattle vending machines/ });
    await user.selectOptions(screen.getByLabelText(/^Device set/), 'seattle-vms');
    await screen.findByRole('checkbox', { name: /All devices of the set/ });
    await user.click(screen.getByRole('button', { name: 'Run' }));
    expect(errorOf(screen.getByLabelText(/^Name/))).toContain('Enter a name for the job');
    expect(screen.getByText('Choose the job type')).toBeTruthy();
    expect(screen.getByText('Add at least one operation with +')).toBeTruthy();
    expect(screen.getByText('Choose at least one device, or all devices of the set')).toBeTruthy();
    expect(jobPosts()).toHaveLength(0);
  });

  it('previews the completed form before Run, and again when it changes', async () => {
    const user = userEvent.setup();
    render(<NewJobPage />);
    const panel = screen.getByRole('region', { name: 'Preview' });
    expect(panel.textContent).toContain('Complete the job');
    await fillBasics(user);
    await addOperation(user, 'fanSpeed', '5');
    await user.click(screen.getByRole('checkbox', { name: /All devices of the set/ }));
    await waitFor(() => expect(within(panel).getByTestId('preview-total').textContent).toBe('3'), { timeout: 3000 });
    expect(within(panel).getByRole('list', { name: 'Overlapping jobs' }).textContent).toContain('it also writes setting fanSpeed');
    const previews = () => api.requests.filter((r) => r.method === 'POST' && r.path === '/api/jobs/preview');
    expect(previews().at(-1)?.body).toEqual({ displayName: 'Raise fan speed', deviceSet: 'seattle-vms', operations: [{ type: 'setting', name: 'fanSpeed', value: 5 }] });
    const asked = previews().length;
    await user.type(screen.getByLabelText(/^Name/), ' now');
    await waitFor(() => expect(previews().length).toBeGreaterThan(asked), { timeout: 3000 });
    expect((previews().at(-1)?.body as { displayName: string }).displayName).toBe('Raise fan speed now');
    expect(jobPosts()).toHaveLength(0);
  }, 15_000);

  it('runs on the whole set with a body that omits devices, then opens the job', async () => {
    const user = userEvent.setup();
    render(<NewJobPage />);
    await fillBasics(user);
    await addOperation(user, 'fanSpeed', '5');
    await addOperation(user, 'display', '{"text": "Cold drinks"}');
    await user.click(screen.getByRole('checkbox', { name: /All devices of the set/ }));
    await user.click(screen.getByRole('button', { name: 'Run' }));
    await waitFor(() => expect(window.location.hash).toBe('#/job/job-42'));
    expect(jobPosts()[0].body).toEqual({
      displayName: 'Raise fan speed',
      deviceSet: 'seattle-vms',
      operations: [
        { type: 'setting', name: 'fanSpeed', value: 5 },
        { type: 'setting', name: 'display', value: { text: 'Cold drinks' } },
      ],
    });
  });

  it('queues the job behind active jobs writing the same when chosen, saying so before Run', async () => {
    const user = userEvent.setup();
    render(<NewJobPage />);
    await fillBasics(user);
    await addOperation(user, 'fanSpeed', '5');
    await user.click(screen.getByRole('checkbox', { name: /All devices of the set/ }));
    const panel = screen.getByRole('region', { name: 'Preview' });
    await waitFor(() => expect(within(panel).getByTestId('preview-conflict').textContent).toContain('Run would be refused: Slow fan change'), { timeout: 3000 });
    await user.selectOptions(screen.getByLabelText(/^If active jobs write the same/), 'queue');
    await waitFor(() => expect(within(panel).getByTestId('preview-conflict').textContent).toContain('would wait, pending, until Slow fan change ended'), { timeout: 3000 });
    await user.click(screen.getByRole('button', { name: 'Run' }));
    await waitFor(() => expect(jobPosts()).toHaveLength(1));
    expect(jobPosts()[0].body).toMatchObject({ onConflict: 'queue' });
  }, 15_000);

  it("runs on the devices of one page when the Name checkbox chose them", async () => {
    const user = userEvent.setup();
    render(<NewJobPage />);
    await fillBasics(user);
    await addOperation(user, 'fanSpeed', '3');
    await screen.findByRole('checkbox', { name: 'Choose Vending machine 1' });
    await user.click(screen.getByRole('checkbox', { name: 'Choose every device on this page' }));
    expect(screen.getByTestId('chosen-count').textContent).toBe('10 devices chosen');
    await user.click(screen.getByRole('button', { name: 'Run' }));
    await waitFor(() => expect(jobPosts()).toHaveLength(1));
    expect((jobPosts()[0].body as { devices: string[] }).devices).toEqual(seattleDevices.slice(0, 10).map((d) => d.id));
  });

  it('shows the errors of the API next to the fields they name', async () => {
    createAnswer = () => ({
      status: 400,
      body: {
        title: 'Invalid request',
        status: 400,
        detail: 'The request has invalid fields.',
        errors: [
          { field: 'operations[1].value', message: 'must be at most 10' },
          { field: 'displayName', message: 'is already used by a running job' },
          { field: 'devices[0]', message: 'vm-001 is not in the set' },
          { field: 'priority', message: 'is not a known field' },
        ],
      },
    });
    const user = userEvent.setup();
    render(<NewJobPage />);
    await fillBasics(user);
    const first = await addOperation(user, 'ecoMode', undefined);
    await user.selectOptions(within(first).getByLabelText('Value'), 'true');
    const second = await addOperation(user, 'fanSpeed', '50');
    await screen.findByRole('checkbox', { name: 'Choose Vending machine 1' });
    await user.click(screen.getByRole('checkbox', { name: 'Choose Vending machine 1' }));
    await user.click(screen.getByRole('button', { name: 'Run' }));

    await waitFor(() => expect(errorOf(within(second).getByLabelText('Value'))).toContain('Must be at most 10'));
    expect(errorOf(within(first).getByLabelText('Value'))).toBe('');
    expect(errorOf(screen.getByLabelText(/^Name/))).toContain('Is already used by a running job');
    const picker = screen.getByRole('region', { name: /Devices of/ });
    expect(within(picker).getByText('vm-001 is not in the set')).toBeTruthy();
    const summary = screen.getAllByRole('alert').find((a) => a.textContent?.includes('Invalid request'))!;
    expect(summary.textContent).toContain('priority');
    expect(summary.textContent).not.toContain('must be at most 10');
    expect(window.location.hash).toBe('');
  });

  it('a broken set shows its message and no devices, and cannot run', async () => {
    const user = userEvent.setup();
    render(<NewJobPage />);
    await screen.findByRole('option', { name: /Retired kiosks/ });
    await user.selectOptions(screen.getByLabelText(/^Device set/), 'orphans');
    await waitFor(() => expect(screen.getByRole('alert').textContent).toContain('The template "kiosk" was deleted.'));
    expect(screen.queryByRole('table')).toBeNull();
    await user.click(screen.getByRole('button', { name: 'Run' }));
    expect(errorOf(screen.getByLabelText(/^Device set/))).toContain('The template "kiosk" was deleted.');
    expect(jobPosts()).toHaveLength(0);
  });

  it('starts from a copy of a stopped job', async () => {
    render(<NewJobPage copyOf="stopped-one" />);
    await waitFor(() => expect((screen.getByLabelText(/^Name/) as HTMLInputElement).value).toBe('Raise fan speed (copy)'));
    expect((screen.getByLabelText(/^Device set/) as HTMLSelectElement).value).toBe('seattle-vms');
    expect((screen.getByRole('radio', { name: 'Command' }) as HTMLInputElement).checked).toBe(true);
    const row = screen.getByRole('group', { name: 'Operation 1' });
    await waitFor(() => expect((within(row).getAllByRole('combobox')[0] as HTMLSelectElement).value).toBe('reboot'));
    expect((within(row).getByLabelText('Value') as HTMLTextAreaElement).value).toBe('{"delay":5}');
    await waitFor(() => expect(screen.getByTestId('chosen-count').textContent).toBe('2 devices chosen'));
  });
});
