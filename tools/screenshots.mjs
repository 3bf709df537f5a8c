#!/usr/bin/env node
// Regenerates the dashboard screenshots in docs/screenshots/ from a running system:
//   FLEETJOBS_URL=http://127.0.0.1:3000 node tools/screenshots.mjs
// It adds its own demo data through the REST API (ids suffixed by the run, so it can run again),
// then opens each screen in Debian's Chromium at a laptop's 1366×768.
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const baseUrl = (process.env.FLEETJOBS_URL ?? 'http://127.0.0.1:3000').replace(/\/+$/, '');
const outDir = resolve(dirname(fileURLToPath(import.meta.url)), '..', 'docs', 'screenshots');
const run = Date.now().toString(36).slice(-5);

async function api(method, path, body) {
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}: ${text}`);
  return text ? JSON.parse(text) : undefined;
}

async function waitUntil(what, probe, timeoutMs = 120_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

const finished = (id) => waitUntil(`job ${id} to end`, async () => {
  const job = await api('GET', `/api/jobs/${id}`);
  return ['completed', 'failed', 'stopped'].includes(job.status) && job;
});

async function seed() {
  const template = `vending-machine-${run}`;
  await api('PUT', `/api/device-templates/${template}`, {
    displayName: 'Refrigerated vending machine',
    capabilities: [
      { name: 'fanSpeed', kind: 'setting', schema: 'number' },
      { name: 'ecoMode', kind: 'setting', schema: 'boolean' },
      { name: 'location', kind: 'property', schema: 'string' },
      { name: 'reboot', kind: 'command', schema: 'object' },
    ],
  });
  const cities = ['Seattle', 'Seattle', 'Seattle', 'Portland'];
  const devices = Array.from({ length: 32 }, (_, i) => {
    const city = cities[i % cities.length];
    const simulator = city === 'Portland' ? { latencyMs: 60_000 } : i % 7 === 2 ? { failCommands: ['reboot'] } : { latencyMs: 300 };
    return { id: `vm-${run}-${String(i + 1).padStart(3, '0')}`, displayName: `${city} machine ${i + 1}`, template, tags: { city, demo: run, simulator } };
  });
  await api('POST', '/api/devices/batch', { devices });
  const seattle = `seattle-${run}`;
  const portland = `portland-${run}`;
  const condition = (city) => [
    { field: 'template', operator: 'eq', value: template },
    { field: 'tags.city', operator: 'eq', value: city },
    { field: 'tags.demo', operator: 'eq', value: run },
  ];
  await api('PUT', `/api/device-sets/${seattle}`, { displayName: 'Seattle vending machines', conditions: condition('Seattle') });
  await api('PUT', `/api/device-sets/${portland}`, { displayName: 'Portland vending machines', conditions: condition('Portland') });
  const kiosk = `ticket-kiosk-${run}`;
  const broken = `retired-kiosks-${run}`;
  await api('PUT', `/api/device-templates/${kiosk}`, { displayName: 'Ticket kiosk', capabilities: [{ name: 'reboot', kind: 'command', schema: 'object' }] });
  await api('PUT', `/api/device-sets/${broken}`, { displayName: 'Retired ticket kiosks', conditions: [{ field: 'template', operator: 'eq', value: kiosk }] });
  await api('DELETE', `/api/device-templates/${kiosk}`);

  const fan = await api('POST', '/api/jobs', {
    displayName: 'Raise fan speed',
    description: 'Hot week in Seattle',
    deviceSet: seattle,
    operations: [{ type: 'setting', name: 'fanSpeed', value: 5 }],
  });
  const reboot = await api('POST', '/api/jobs', {
    displayName: 'Reboot after firmware update',
    description: 'Firmware 4.2 needs a restart',
    deviceSet: seattle,
    operations: [{ type: 'command', name: 'reboot', value: { delay: 10 } }],
  });
  await finished(fan.id);
  await finished(reboot.id);
  const eco = await api('POST', '/api/jobs', {
    displayName: 'Night eco mode',
    description: 'Save energy overnight',
    deviceSet: portland,
    operations: [{ type: 'setting', name: 'ecoMode', value: true }],
  });
  await waitUntil('the eco job to run', async () => (await api('GET', `/api/jobs/${eco.id}`)).status === 'running');
  return { seattle, broken, failedJob: reboot.id, runningJob: eco.id };
}

async function main() {
  await mkdir(outDir, { recursive: true });
  const scene = await seed();
  const userDataDir = await mkdtemp(join(tmpdir(), 'fleetjobs-screenshots-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    viewport: { width: 1366, height: 768 },
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const shoot = async (name) => {
    await page.evaluate(() => document.fonts.ready);
    await page.screenshot({ path: join(outDir, `${name}.png`) });
    console.log(`docs/screenshots/${name}.png`);
  };
  const open = async (hash) => {
    await page.goto(`${baseUrl}/#${hash}`);
    await page.locator('main h1').first().waitFor();
  };

  try {
    await open('/jobs');
    await page.getByTestId('job-row').first().waitFor();
    await shoot('jobs-list');

    await open(`/jobs/new?set=${scene.seattle}`);
    await page.getByRole('textbox', { name: 'Name', exact: true }).fill('Lower fan speed');
    await page.getByRole('textbox', { name: 'Description' }).fill('The heat wave is over');
    await page.getByRole('radio', { name: 'Setting', exact: true }).check();
    await page.getByRole('button', { name: 'Add operation' }).click();
    const operation = page.getByRole('group', { name: 'Operation 1' });
    await operation.getByRole('combobox').first().selectOption('fanSpeed');
    await operation.getByLabel('Value').fill('2');
    const pageBox = page.getByRole('checkbox', { name: 'Choose every device on this page' });
    await page.waitForFunction(() => !document.querySelector('.picker tbody[aria-busy="true"]'));
    await pageBox.check();
    await page.getByTestId('chosen-count').filter({ hasText: '10 devices chosen' }).waitFor();
    await shoot('new-job');

    await open(`/job/${encodeURIComponent(scene.runningJob)}`);
    await page.getByTestId('job-device').first().waitFor();
    await shoot('job-detail-running');

    await open(`/job/${encodeURIComponent(scene.failedJob)}`);
    await page.getByTestId('job-device').first().waitFor();
    await page.getByLabel('Status', { exact: true }).selectOption('failed');
    await page.waitForFunction(() => {
      const badges = Array.from(document.querySelectorAll('[data-testid="job-device"] .badge'), (b) => b.textContent);
      return badges.length > 0 && badges.every((text) => text === 'Failed');
    });
    await shoot('job-detail-failed');

    await open('/devices');
    await page.locator('main tbody tr a').first().waitFor();
    await shoot('devices');

    await open('/device-sets');
    await page.getByTestId('device-set-row').first().waitFor();
    await shoot('device-sets');

    await open(`/jobs/new?set=${scene.broken}`);
    await page.locator('.picker [role="alert"]').waitFor();
    await shoot('broken-set');
  } finally {
    await context.close();
    await rm(userDataDir, { recursive: true, force: true });
    await api('POST', `/api/jobs/${encodeURIComponent(scene.runningJob)}/stop`).catch(() => undefined);
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
