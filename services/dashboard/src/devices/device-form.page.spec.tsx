import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it } from 'vitest';
import { FakeAnswer, SeenRequest, stubApi } from '../testing/fake-api';
import { vendingMachine } from '../testing/fixtures';
import { DeviceFormPage } from './device-form.page';

let putAnswer: (request: SeenRequest) => FakeAnswer;
let api: ReturnType<typeof stubApi>;

function errorOf(control: HTMLElement): string {
  const ids = control.getAttribute('aria-describedby')?.split(' ') ?? [];
  return ids.map((id) => document.getElementById(id)?.textContent ?? '').join(' ');
}

describe('device form', () => {
  beforeEach(() => {
    putAnswer = (request) => ({ body: { id: 'vm-100', ...(request.body as object) } });
    api = stubApi({
      'GET /api/device-templates': () => ({ body: { value: [vendingMachine], nextCursor: null } }),
      'PUT /api/devices/:id': (request) => putAnswer(request),
    });
  });

  async function fill(user: ReturnType<typeof userEvent.setup>, tags: string) {
    await user.type(screen.getByLabelText(/^Id/), 'vm-100');
    await user.type(screen.getByLabelText(/^Name/), 'Vending machine 100');
    await screen.findByRole('option', { name: /Refrigerated vending machine/ });
    await user.selectOptions(screen.getByLabelText(/^Template/), 'vending-machine');
    const tagsInput = screen.getByLabelText(/^Tags/);
    await user.clear(tagsInput);
    await user.type(tagsInput, tags.replace(/[{[]/g, '$&$&'));
  }

  it('creates a device with its tags', async () => {
    const user = userEvent.setup();
    render(<DeviceFormPage />);
    await fill(user, '{"city": "Seattle", "simulator": {"latencyMs": 200}}');
    await user.click(screen.getByRole('button', { name: 'Create device' }));
    await waitFor(() => expect(window.location.hash).toBe('#/device/vm-100'));
    expect(api.requests.find((r) => r.method === 'PUT')?.body).toEqual({
      displayName: 'Vending machine 100',
      template: 'vending-machine',
      tags: { city: 'Seattle', simulator: { latencyMs: 200 } },
    });
  });

  it('refuses an id the API would refuse, and tags that are not an object, before saving', async () => {
    const user = userEvent.setup();
    render(<DeviceFormPage />);
    await fill(user, '["Seattle"]');
    await user.clear(screen.getByLabelText(/^Id/));
    await user.type(screen.getByLabelText(/^Id/), 'vm 100/a');
    await user.click(screen.getByRole('button', { name: 'Create device' }));
    expect(errorOf(screen.getByLabelText(/^Id/))).toContain('Use 1 to 128 letters');
    expect(errorOf(screen.getByLabelText(/^Tags/))).toContain('Enter a JSON object');
    expect(api.requests.some((r) => r.method === 'PUT')).toBe(false);
  });

  it('shows the errors of the API next to the fields they name', async () => {
    putAnswer = () => ({
      status: 400,
      body: { title: 'Invalid request', status: 400, detail: 'The request has invalid fields.', errors: [{ field: 'tags.simulator.latencyMs', message: 'must be a number' }] },
    });
    const user = userEvent.setup();
    render(<DeviceFormPage />);
    await fill(user, '{"simulator": {"latencyMs": "slow"}}');
    await user.click(screen.getByRole('button', { name: 'Create device' }));
    await waitFor(() => expect(errorOf(screen.getByLabelText(/^Tags/))).toContain('Must be a number'));
    expect(window.location.hash).toBe('');
  });
});
