import { describe, expect, it } from 'vitest';
import { AUDIT_ACTIONS } from '../api/fleetjobs-api.types';
import { ACTION_LABELS, subjectRoute, summaryText } from './audit-entry.format';

describe('audit entry format', () => {
  it('names every action', () => {
    expect(AUDIT_ACTIONS.filter((action) => !ACTION_LABELS[action])).toEqual([]);
  });

  it.each([
    ['JobCreated', { displayName: 'Fan up', deviceSet: 'seattle', deviceCount: 3, operationCount: 1, operations: [{ type: 'setting', name: 'fanSpeed' }] }, '“Fan up” · 3 devices of seattle · setting fanSpeed'],
    ['JobCreated', { displayName: 'All', deviceSet: 'seattle', deviceCount: null, operationCount: 12, operations: [{ type: 'command', name: 'reboot' }] }, '“All” · every device of seattle · command reboot and 11 more'],
    ['DeviceTemplateSaved', { displayName: 'Vending', capabilityCount: 1 }, 'Vending · 1 capability'],
    ['DeviceRegistered', { displayName: 'VM 1', template: 'vending', origin: 'hub-import' }, 'VM 1 · template vending · imported from the hub'],
    ['DeviceSetSaved', { displayName: 'Seattle', conditionCount: 2 }, 'Seattle · 2 conditions'],
    ['TokenCreated', { name: 'ci', role: 'builder', expiresAt: '2027-01-01T00:00:00.000Z' }, 'ci · role builder · expires 2027-01-01T00:00:00.000Z'],
    ['JobStopped', {}, ''],
  ] as const)('%s reads %j as “%s”', (action, summary, text) => {
    expect(summaryText({ action, summary })).toBe(text);
  });

  it('links to what still exists, and not to a deleted entity or a token', () => {
    expect(subjectRoute({ action: 'JobStopped', subject: 'j1' })).toEqual({ page: 'job', id: 'j1' });
    expect(subjectRoute({ action: 'DeviceRegistered', subject: 'vm-1' })).toEqual({ page: 'device', id: 'vm-1' });
    expect(subjectRoute({ action: 'DeviceSetSaved', subject: 's' })).toEqual({ page: 'device-set', id: 's' });
    expect(subjectRoute({ action: 'DeviceDeleted', subject: 'vm-1' })).toBeNull();
    expect(subjectRoute({ action: 'TokenCreated', subject: 't' })).toBeNull();
  });
});
