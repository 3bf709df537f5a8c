import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { beforeEach, describe, expect, it } from 'vitest';
import { DeviceSet } from '../api/fleetjobs-api.types';
import { stubApi, pageOf } from '../testing/fake-api';
import { orphans, seattle, seattleDevices } from '../testing/fixtures';
import { DevicePicker } from './device-picker.component';
import { devicesOfJobBody, DeviceSelection, noDevices } from './device-selection';

let latest: DeviceSelection = noDevices();

function Harness({ deviceSet }: { deviceSet: DeviceSet }) {
  const [selection, setSelection] = useState<DeviceSelection>(noDevices());
  latest = selection;
  return <DevicePicker deviceSet={deviceSet} selection={selection} onSelectionChange={setSelection} />;
}

const count = () => screen.getByTestId('chosen-count').textContent;
const rowIds = () => screen.getAllByRole('row').slice(1).map((row) => within(row).getAllByRole('cell')[2].textContent);

describe('device picker', () => {
  beforeEach(() => {
    latest = noDevices();
    stubApi({
      'GET /api/device-sets/:id/devices': (request, [id]) =>
        id === 'seattle-vms' ? { body: pageOf(seattleDevices, request.query) } : { status: 409, body: { title: 'Broken', detail: 'gone' } },
    });
  });

  it('shows the first page of the set and how many are chosen', async () => {
    render(<Harness deviceSet={seattle} />);
    await waitFor(() => expect(rowIds()).toHaveLength(10));
    expect(rowIds()[0]).toBe('vm-001');
    expect(count()).toBe('No devices chosen');
  });

  it('the header checkbox chooses every device of the set, so the job omits devices', async () => {
    const user = userEvent.setup();
    render(<Harness deviceSet={seattle} />);
    await user.click(await screen.findByRole('checkbox', { name: /All devices of the set/ }));
    expect(latest.mode).toBe('all-of-set');
    expect(devicesOfJobBody(latest)).toBeUndefined();
    await waitFor(() => expect(count()).toBe('All 25 devices of the set chosen'));
    const rowBoxes = screen.getAllByRole('checkbox', { name: /^Choose Vending machine/ });
    expect(rowBoxes.every((box) => (box as HTMLInputElement).checked && (box as HTMLInputElement).disabled)).toBe(true);
  });

  it('the checkbox by Name chooses the devices of this page only', async () => {
    const user = userEvent.setup();
    render(<Harness deviceSet={seattle} />);
    await waitFor(() => expect(rowIds()).toHaveLength(10));
    await user.click(screen.getByRole('checkbox', { name: 'Choose every device on this page' }));
    expect(devicesOfJobBody(latest)).toEqual(seattleDevices.slice(0, 10).map((d) => d.id));
    expect(count()).toBe('10 devices chosen');
  });

  it('keeps choices across pages and counts them all', async () => {
    const user = userEvent.setup();
    render(<Harness deviceSet={seattle} />);
    await waitFor(() => expect(rowIds()).toHaveLength(10));
    await user.click(screen.getByRole('checkbox', { name: 'Choose every device on this page' }));
    await user.click(screen.getByRole('button', { name: /Next/ }));
    await waitFor(() => expect(rowIds()[0]).toBe('vm-011'));
    const pageBox = screen.getByRole('checkbox', { name: 'Choose every device on this page' }) as HTMLInputElement;
    expect(pageBox.checked).toBe(false);
    await user.click(screen.getByRole('checkbox', { name: 'Choose Vending machine 12' }));
    expect(pageBox.indeterminate).toBe(true);
    expect(count()).toBe('11 devices chosen');
    await user.click(screen.getByRole('button', { name: /Previous/ }));
    await waitFor(() => expect(rowIds()[0]).toBe('vm-001'));
    await user.click(screen.getByRole('checkbox', { name: 'Choose every device on this page' }));
    expect(devicesOfJobBody(latest)).toEqual(['vm-012']);
    expect(count()).toBe('1 device chosen');
  });

  it('clearing the header checkbox leaves nothing chosen', async () => {
    const user = userEvent.setup();
    render(<Harness deviceSet={seattle} />);
    const all = await screen.findByRole('checkbox', { name: /All devices of the set/ });
    await user.click(all);
    await user.click(all);
    expect(devicesOfJobBody(latest)).toEqual([]);
    expect(count()).toBe('No devices chosen');
  });

  it('a broken set shows its reason and no devices', async () => {
    render(<Harness deviceSet={orphans} />);
    expect(screen.getByRole('alert').textContent).toContain('The template "kiosk" was deleted.');
    expect(screen.queryByRole('table')).toBeNull();
    expect((screen.getByRole('checkbox', { name: /All devices of the set/ }) as HTMLInputElement).disabled).toBe(true);
  });
});
