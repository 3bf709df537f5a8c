import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { App } from '../app.component';
import { Job } from '../api/fleetjobs-api.types';
import { DeviceSetPage } from '../device-sets/device-set.page';
import { DevicePage } from '../devices/device.page';
import { DevicesPage } from '../devices/devices.page';
import { JobDetailPage } from '../jobs/job-detail.page';
import { JobsListPage } from '../jobs/jobs-list.page';
import { jobDevicesAnswer, stubApi } from '../testing/fake-api';
import { FakeEventSource } from '../testing/fake-event-source';
import { aJob, seattle, seattleDevices, vendingMachine } from '../testing/fixtures';
import { signInAs } from '../testing/session';
import { Role } from './roles';

const ACTIONS = ['Stop', 'Pause', 'Resume', 'Approve', 'Copy to a new job'];

function stubFleet(job: Job = aJob()) {
  FakeEventSource.install();
  return stubApi({
    'GET /api/jobs': () => ({ body: { value: [job], nextCursor: null } }),
    'GET /api/jobs/:id': () => ({ body: job }),
    'GET /api/jobs/:id/devices': (request) => jobDevicesAnswer([], request.query),
    'POST /api/jobs/:id/approve': () => ({
      status: 403,
      body: { title: 'Forbidden', status: 403, detail: 'Approval needs a second person: you created this job.', errors: [{ field: 'actor', message: 'created the job' }] },
    }),
    'GET /api/device-sets/:id': () => ({ body: seattle }),
    'GET /api/device-sets/:id/devices': () => ({ body: { value: seattleDevices.slice(0, 5), nextCursor: null } }),
    'GET /api/devices': () => ({ body: { value: seattleDevices.slice(0, 5), nextCursor: null } }),
    'GET /api/devices/:id': () => ({ body: seattleDevices[0] }),
    'GET /api/device-templates': () => ({ body: { value: [vendingMachine], nextCursor: null } }),
    'GET /api/device-templates/:id': () => ({ body: vendingMachine }),
  });
}

const buttonNames = () => screen.queryAllByRole('button').map((b) => b.textContent);
const linkNames = () => screen.queryAllByRole('link').map((l) => l.textContent);

describe('what each role is offered', () => {
  it.each<[Role, string[]]>([
    ['viewer', []],
    ['operator', ['Pause', 'Stop']],
    ['builder', ['Pause', 'Stop']],
    ['administrator', ['Pause', 'Stop']],
  ])('a running job shows a %s the buttons %j', async (role, expected) => {
    signInAs(role);
    stubFleet();
    render(<JobDetailPage id="raise-fan-speed" />);
    await screen.findByRole('heading', { name: 'Raise fan speed' });
    expect(buttonNames().filter((name) => ACTIONS.includes(name ?? ''))).toEqual(expected);
  });

  it('a finished job offers its copy to operators only', async () => {
    stubFleet(aJob({ status: 'completed', endedAt: '2025-06-01T10:05:00.000Z' }));
    signInAs('viewer');
    const { unmount } = render(<JobDetailPage id="raise-fan-speed" />);
    await screen.findByRole('heading', { name: 'Raise fan speed' });
    expect(screen.queryByRole('button', { name: 'Copy to a new job' })).toBeNull();
    unmount();
    signInAs('operator');
    render(<JobDetailPage id="raise-fan-speed" />);
    await screen.findByRole('button', { name: 'Copy to a new job' });
  });

  it('the jobs list offers New job to operators, not to viewers', async () => {
    stubFleet();
    signInAs('viewer');
    const { unmount } = render(<JobsListPage />);
    await screen.findByText('Raise fan speed');
    expect(linkNames()).not.toContain('New job');
    unmount();
    signInAs('operator');
    render(<JobsListPage />);
    await screen.findByText('Raise fan speed');
    expect(linkNames()).toContain('New job');
  });

  it.each<[Role, string[], string[]]>([
    ['viewer', [], []],
    ['operator', ['New job on this set'], []],
    ['builder', ['Edit', 'New job on this set'], ['Delete']],
  ])('a device set shows a %s the links %j and buttons %j', async (role, links, buttons) => {
    signInAs(role);
    stubFleet();
    render(<DeviceSetPage id="seattle-vms" />);
    await screen.findByRole('heading', { name: 'Seattle vending machines' });
    const actions = screen.getByRole('banner');
    expect([...actions.querySelectorAll('.page-header__actions a')].map((a) => a.textContent)).toEqual(links);
    expect([...actions.querySelectorAll('.page-header__actions button')].map((b) => b.textContent)).toEqual(buttons);
  });

  it('devices: viewers and operators read them; builders add, edit and delete', async () => {
    stubFleet();
    signInAs('operator');
    const list = render(<DevicesPage />);
    await screen.findByText('Vending machine 1');
    expect(linkNames()).not.toContain('New device');
    list.unmount();
    const detail = render(<DevicePage id="vm-001" />);
    await screen.findByRole('heading', { name: 'Vending machine 1' });
    expect(linkNames()).not.toContain('Edit');
    expect(buttonNames()).not.toContain('Delete');
    detail.unmount();
    signInAs('builder');
    render(<DevicesPage />);
    await screen.findByText('Vending machine 1');
    expect(linkNames()).toContain('New device');
  });

  it('a viewer who opens a form by its address is told which role it needs, and sees no form', async () => {
    stubFleet();
    signInAs('viewer');
    window.location.hash = '/jobs/new';
    render(<App />);
    expect((await screen.findByTestId('role-needed')).textContent).toContain('needs the operator role');
    expect(screen.queryByRole('button', { name: 'Run' })).toBeNull();
    window.location.hash = '/devices/new';
    expect((await screen.findByText(/needs the builder role/)).textContent).toContain('you are signed in as viewer');
  });

  it('a template is read only below builder: no Save, no Delete, no inputs', async () => {
    stubFleet();
    signInAs('operator');
    window.location.hash = '/template/vending-machine';
    render(<App />);
    await screen.findByRole('heading', { name: 'Refrigerated vending machine' });
    expect(screen.getByText('fanSpeed')).toBeTruthy();
    expect(screen.queryAllByRole('textbox')).toHaveLength(0);
    expect(buttonNames()).toEqual(['Sign out']);
  });
});

describe('approval by a second person', () => {
  const waiting = (createdBy: string) =>
    aJob({ status: 'pending', startedAt: null, approval: { required: true, reason: 'a command job', approvedBy: null, approvedAt: null }, createdBy: { id: createdBy, name: 'Ana' } });

  it('is offered to another operator; the API refusing it (403) shows its reason', async () => {
    const user = userEvent.setup();
    signInAs('operator');
    stubFleet(waiting('user:ana'));
    render(<JobDetailPage id="raise-fan-speed" />);
    expect((await screen.findByTestId('job-approval')).textContent).toContain('Awaiting approval (a command job)');
    await user.click(screen.getByRole('button', { name: 'Approve' }));
    expect((await screen.findByRole('alert')).textContent).toBe('Approve failed: Approval needs a second person: you created this job.');
  });

  it('is not offered to the job creator, nor to a viewer', async () => {
    signInAs('operator');
    stubFleet(waiting('token:test-operator'));
    const mine = render(<JobDetailPage id="raise-fan-speed" />);
    await screen.findByTestId('job-approval');
    expect(screen.queryByRole('button', { name: 'Approve' })).toBeNull();
    mine.unmount();
    signInAs('viewer');
    stubFleet(waiting('user:ana'));
    render(<JobDetailPage id="raise-fan-speed" />);
    await screen.findByTestId('job-approval');
    expect(screen.queryByRole('button', { name: 'Approve' })).toBeNull();
  });
});
