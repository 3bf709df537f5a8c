import { uniqueId } from './support/unique-id';
import { withDashboard } from './support/with-dashboard';

describe("dashboard: a broken set's message", () => {
  const dashboard = withDashboard();
  const { rest } = dashboard;

  it('a set whose template was deleted shows why it is broken, and no devices', async () => {
    const templateId = uniqueId('e2e-kiosk');
    const setId = uniqueId('e2e-broken-set');
    await rest.putTemplate(templateId, 'Ticket kiosk', [{ name: 'reboot', kind: 'command', schema: 'object' }]);
    await rest.putDeviceSet(setId, 'Retired kiosks', [{ field: 'template', operator: 'eq', value: templateId }]);
    await rest.deleteTemplate(templateId);
    const set = await rest.getDeviceSet(setId);
    expect(set.broken).toBe(true);
    expect(set.brokenReason).toBeTruthy();

    const { page } = dashboard;
    await dashboard.open('/jobs/new');
    await page.getByLabel('Device set').selectOption(setId);
    const message = page.locator('.picker [role="alert"]');
    await message.waitFor();
    expect(await message.innerText()).toContain(set.brokenReason);
    expect(await page.locator('.picker table').count()).toBe(0);

    await page.getByRole('button', { name: 'Run' }).click();
    const setField = page.getByLabel('Device set');
    expect(await setField.getAttribute('aria-invalid')).toBe('true');

    await dashboard.open('/device-sets');
    await page.getByRole('link', { name: 'Device sets' }).first().waitFor();
    await dashboard.open(`/device-set/${encodeURIComponent(setId)}`);
    const detail = page.getByRole('alert').filter({ hasText: set.brokenReason! });
    await detail.waitFor();
  });
});
