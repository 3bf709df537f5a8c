import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it } from 'vitest';
import { AuditEntry } from '../api/fleetjobs-api.types';
import { FakeAnswer, pageOf, stubApi } from '../testing/fake-api';
import { hrefOf, parseRoute, sectionOf } from '../routing/routes';
import { AuditPage } from './audit.page';

const ada = { id: 'user:ada', name: 'Ada Operator', role: 'operator' as const, address: '10.0.0.7' };
const ci = { id: 'token:ci', name: 'ci', role: 'builder' as const };
const at = (n: number) => new Date(Date.UTC(2026, 2, 1, 10, 60 - n)).toISOString();

let entries: AuditEntry[];
let api: ReturnType<typeof stubApi>;

/** Answers `GET /api/audit` the way the API does: the filters combine, newest first, paged. */
function auditAnswer(query: URLSearchParams): FakeAnswer {
  const actor = query.get('actor');
  const action = query.get('action');
  const subject = query.get('subject');
  const from = query.get('from');
  const to = query.get('to');
  const matching = entries.filter(
    (e) =>
      (!actor || e.actor.id === actor) &&
      (!action || e.action === action) &&
      (!subject || e.subject === subject) &&
      (!from || e.time >= from) &&
      (!to || e.time < to),
  );
  return { body: pageOf(matching, query) };
}

const rows = () => screen.queryAllByTestId('audit-entry');
const auditQueries = () => api.requests.filter((r) => r.path === '/api/audit').map((r) => Object.fromEntries(r.query));

describe('audit screen', () => {
  beforeEach(() => {
    entries = [
      {
        eventId: 'e-created',
        time: at(0),
        actor: ada,
        action: 'JobCreated',
        subject: 'fan-up',
        summary: { displayName: 'Fan up', deviceSet: 'seattle', deviceCount: 3, operationCount: 1, operations: [{ type: 'setting', name: 'fanSpeed' }] },
      },
      { eventId: 'e-stopped', time: at(1), actor: ci, action: 'JobStopped', subject: 'fan-up', summary: {} },
      { eventId: 'e-deleted', time: at(2), actor: ci, action: 'DeviceDeleted', subject: 'vm-9', summary: {} },
      ...Array.from({ length: 30 }, (_, i) => ({
        eventId: `e-dev-${i}`,
        time: at(3 + i),
        actor: ci,
        action: 'DeviceRegistered' as const,
        subject: `vm-${i}`,
        summary: { displayName: `VM ${i}`, template: 'vending', origin: 'api' },
      })),
    ];
    api = stubApi({ 'GET /api/audit': (request) => auditAnswer(request.query) });
  });

  it('lists who did what, when and from where, with a few words on what was asked', async () => {
    render(<AuditPage />);
    await waitFor(() => expect(rows()).toHaveLength(25));
    const created = rows()[0];
    expect(within(created).getByText('Ada Operator')).toBeTruthy();
    expect(within(created).getByText('user:ada')).toBeTruthy();
    expect(created.textContent).toContain('operator · from 10.0.0.7');
    expect(within(created).getByText('Created job')).toBeTruthy();
    expect(within(created).getByRole('link', { name: 'fan-up' }).getAttribute('href')).toBe('#/job/fan-up');
    expect(within(created).getByText('“Fan up” · 3 devices of seattle · setting fanSpeed')).toBeTruthy();
    // A deleted device has nothing to link to.
    expect(within(rows()[2]).queryByRole('link')).toBeNull();
  });

  it('pages with the cursor the API gave', async () => {
    const user = userEvent.setup();
    render(<AuditPage />);
    await waitFor(() => expect(rows()).toHaveLength(25));
    await user.click(within(screen.getByRole('navigation', { name: 'Pages of audit entries' })).getByRole('button', { name: /next/i }));
    await waitFor(() => expect(rows().map((r) => r.dataset.eventId)).toEqual(entries.slice(25).map((e) => e.eventId)));
    expect(auditQueries().at(-1)).toMatchObject({ limit: '25', cursor: '25' });
  });

  it('sends the filters to the API and goes back to the first page', async () => {
    const user = userEvent.setup();
    render(<AuditPage />);
    await waitFor(() => expect(rows()).toHaveLength(25));
    await user.selectOptions(screen.getByLabelText('Action'), 'JobStopped');
    await waitFor(() => expect(rows().map((r) => r.dataset.eventId)).toEqual(['e-stopped']));
    await user.selectOptions(screen.getByLabelText('Action'), '');
    await user.type(screen.getByLabelText('Subject'), 'fan-up');
    await waitFor(() => expect(rows().map((r) => r.dataset.eventId)).toEqual(['e-created', 'e-stopped']));
    await user.type(screen.getByLabelText('Actor'), 'user:ada');
    await waitFor(() => expect(rows().map((r) => r.dataset.eventId)).toEqual(['e-created']));
    const last = auditQueries().at(-1)!;
    expect(last).toEqual({ actor: 'user:ada', subject: 'fan-up', limit: '25' });
    // Text is sent once typing pauses, not per keystroke.
    expect(auditQueries().filter((q) => q.subject && q.subject !== 'fan-up')).toEqual([]);
  });

  it('narrows to whole days, the last day included', async () => {
    const user = userEvent.setup();
    render(<AuditPage />);
    await waitFor(() => expect(rows()).toHaveLength(25));
    await user.type(screen.getByLabelText('From'), '2026-03-01');
    await user.type(screen.getByLabelText('To'), '2026-03-01');
    await waitFor(() => expect(auditQueries().at(-1)).toHaveProperty('to'));
    const { from, to } = auditQueries().at(-1)!;
    expect(new Date(from).getTime()).toBe(new Date(2026, 2, 1).getTime());
    expect(new Date(to).getTime()).toBe(new Date(2026, 2, 2).getTime());
  });

  it('shows only what one actor did when their name is chosen', async () => {
    const user = userEvent.setup();
    render(<AuditPage />);
    await waitFor(() => expect(rows()).toHaveLength(25));
    await user.click(within(rows()[0]).getByRole('button', { name: 'Ada Operator' }));
    await waitFor(() => expect(rows().map((r) => r.dataset.eventId)).toEqual(['e-created']));
    expect((screen.getByLabelText('Actor') as HTMLInputElement).value).toBe('user:ada');
  });

  it('is reached at #/audit, in its own section of the navigation', () => {
    expect(parseRoute('#/audit')).toEqual({ page: 'audit' });
    expect(hrefOf({ page: 'audit' })).toBe('#/audit');
    expect(sectionOf({ page: 'audit' })).toBe('audit');
  });

  it('says why the list could not be read', async () => {
    api = stubApi({
      'GET /api/audit': () => ({ status: 400, body: { title: 'Bad request', status: 400, detail: 'actor must be at most 300 characters', errors: [{ field: 'actor', message: 'must be at most 300 characters' }] } }),
    });
    render(<AuditPage />);
    expect(await screen.findByRole('alert')).toBeTruthy();
  });
});
