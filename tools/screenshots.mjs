#!/usr/bin/env node
// Regenerates the dashboard screenshots in docs/screenshots/ from a running system:
//   FLEETJOBS_URL=http://127.0.0.1:3000 FLEETJOBS_TOKEN=fjt_... node tools/screenshots.mjs [name ...]
// (FLEETJOBS_TOKEN: an administrator API token of that system)
// (names, e.g. `rollout-form job-detail-rollout`, shoot only those screens).
// It adds its own demo data through the REST API (ids suffixed by the run, so it can run again),
// then opens each screen in Debian's Chromium at a laptop's 1366×768.
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { shootRepeatForm, shootScheduleDetail } from './screenshots-schedules.mjs';

const baseUrl = (process.env.FLEETJOBS_URL ?? 'http://127.0.0.1:3000').replace(/\/+$/, '');
const outDir = resolve(dirname(fileURLToPath(import.meta.url)), '..', 'docs', 'screenshots');
const token = process.env.FLEETJOBS_TOKEN;
const run = Date.now().toString(36).slice(-5);
const only = process.argv.slice(2);

async function api(method, path, body) {
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
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
  // Eight batches of three, ramped from 30 to 120 a minute: still under way when its screen is shot.
  const rollout = await api('POST', '/api/jobs', {
    displayName: 'Fan speed, in batches',
    description: 'Four machines at a time, stop at the first sign of trouble',
    deviceSet: seattle,
    operations: [{ type: 'setting', name: 'fanSpeed', value: 4 }],
    rollout: {
      batches: { size: 3 },
      successGate: { percent: 75 },
      rate: { perMinute: 120, ramp: { startPerMinute: 30, factor: 2, afterSuccesses: 4 } },
      abort: [{ failed: { percent: 25 }, minExecuted: 8, scope: 'job', kinds: ['offline', 'timeout', 'rejected'] }],
      retries: { maxAttempts: 3, on: ['offline', 'timeout', 'throttled'], backoff: { initialMs: 1000, factor: 2, maxMs: 30000, jitter: true } },
      timeoutSeconds: 30,
    },
  });
  await waitUntil('the rollout to reach its third batch', async () => (await api('GET', `/api/jobs/${rollout.id}`)).rolloutProgress?.currentBatch >= 2);
  return { seattle, broken, fanJob: fan.id, failedJob: reboot.id, runningJob: eco.id, rolloutJob: rollout.id };
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
  if (token) {
    // The browser signs in with the one-time link form: the token stays in the fragment, never sent to the server.
    await page.goto(`${baseUrl}/#/sign-in?token=${encodeURIComponent(token)}`);
    await page.getByTestId('session').waitFor();
  }
  const wanted = (name) => only.length === 0 || only.includes(name);
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
    if (wanted('jobs-list')) {
      await open('/jobs');
      await page.getByTestId('job-row').first().waitFor();
      await shoot('jobs-list');
    }

    if (wanted('new-job')) {
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
    }

    if (wanted('rollout-form')) {
      await open(`/jobs/new?set=${scene.seattle}`);
      await page.getByRole('textbox', { name: 'Name', exact: true }).fill('Fan speed, in batches');
      await page.getByRole('radio', { name: 'Setting', exact: true }).check();
      await page.getByRole('button', { name: 'Add operation' }).click();
      const operation = page.getByRole('group', { name: 'Operation 1' });
      await operation.getByRole('combobox').first().selectOption('fanSpeed');
      await operation.getByLabel('Value').fill('4');
      await page.getByRole('checkbox', { name: /All devices of the set/ }).check();
      const section = page.getByTestId('rollout-section');
      await section.getByRole('checkbox', { name: /Roll out in batches/ }).check();
      await section.getByRole('radio', { name: 'By size' }).check();
      await section.getByLabel('Devices per batch').fill('4');
      await section.getByLabel('Completed (%)').fill('75');
      await section.getByRole('radio', { name: 'Fixed', exact: true }).check();
      await section.getByLabel('Cap per minute').fill('240');
      await section.getByRole('checkbox', { name: 'Ramp up' }).check();
      await section.getByLabel('Start per minute').fill('30');
      await section.getByLabel('After successes').fill('4');
      await section.getByRole('button', { name: /Add abort rule/ }).click();
      const rule = section.getByRole('group', { name: 'Abort rule 1' });
      await rule.getByLabel('Failed over (%)').fill('25');
      await rule.getByLabel('Min. executed').fill('8');
      await section.getByRole('checkbox', { name: 'Retry failed devices' }).check();
      await section.getByLabel('Timeout per device (s)').fill('30');
      await page.waitForFunction(() => !document.querySelector('.picker tbody[aria-busy="true"]'));
      await section.evaluate((el) => el.scrollIntoView({ block: 'start' }));
      await shoot('rollout-form');
    }

    if (wanted('schedule-form')) {
      await open(`/jobs/new?set=${scene.seattle}`);
      await page.getByRole('textbox', { name: 'Name', exact: true }).fill('Night reboot, weekends');
      await page.getByRole('radio', { name: 'Command', exact: true }).check();
      await page.getByRole('button', { name: 'Add operation' }).click();
      await page.getByRole('group', { name: 'Operation 1' }).getByRole('combobox').first().selectOption({ index: 1 });
      await page.getByRole('checkbox', { name: /All devices of the set/ }).check();
      const section = page.getByTestId('schedule-section');
      const tomorrow = new Date(Date.now() + 86_400_000);
      const day = `${tomorrow.getFullYear()}-${String(tomorrow.getMonth() + 1).padStart(2, '0')}-${String(tomorrow.getDate()).padStart(2, '0')}`;
      await section.getByLabel('Start at').fill(`${day}T02:00`);
      await section.getByRole('checkbox', { name: /maintenance window/ }).check();
      await section.getByRole('checkbox', { name: 'sat' }).check();
      await section.getByRole('checkbox', { name: 'sun' }).check();
      await section.getByLabel('Window opens').fill('22:00');
      await section.getByLabel('Window closes').fill('04:00');
      await section.getByLabel('Window time zone').fill('Europe/Berlin');
      await page.waitForFunction(() => !document.querySelector('.picker tbody[aria-busy="true"]'));
      await section.evaluate((el) => el.scrollIntoView({ block: 'start' }));
      await shoot('schedule-form');
    }

    if (wanted('job-preview')) {
      // The batched fan-speed job is still running on the same set: the preview names it.
      await open(`/jobs/new?set=${scene.seattle}`);
      await page.getByRole('textbox', { name: 'Name', exact: true }).fill('Lower fan speed');
      await page.getByRole('radio', { name: 'Setting', exact: true }).check();
      await page.getByRole('button', { name: 'Add operation' }).click();
      const operation = page.getByRole('group', { name: 'Operation 1' });
      await operation.getByRole('combobox').first().selectOption('fanSpeed');
      await operation.getByLabel('Value').fill('2');
      await page.getByRole('checkbox', { name: /All devices of the set/ }).check();
      const preview = page.getByRole('region', { name: 'Preview' });
      await preview.getByRole('list', { name: 'Overlapping jobs' }).waitFor();
      await page.waitForFunction(() => !document.querySelector('.picker tbody[aria-busy="true"]'));
      await preview.evaluate((el) => el.scrollIntoView({ block: 'center' }));
      await shoot('job-preview');
    }

    if (wanted('job-detail-rollout')) {
      await open(`/job/${encodeURIComponent(scene.rolloutJob)}`);
      await page.getByTestId('rollout-batch').first().waitFor();
      await page.getByTestId('rollout-rate').waitFor();
      await page.getByTestId('job-device').first().waitFor();
      await shoot('job-detail-rollout');
    }

    if (wanted('job-detail-running')) {
      await open(`/job/${encodeURIComponent(scene.runningJob)}`);
      await page.getByTestId('job-device').first().waitFor();
      await shoot('job-detail-running');
    }

    if (wanted('job-detail-failed')) {
      await open(`/job/${encodeURIComponent(scene.failedJob)}`);
      await page.getByTestId('job-device').first().waitFor();
      await page.getByLabel('Status', { exact: true }).selectOption('failed');
      await page.waitForFunction(() => {
        const badges = Array.from(document.querySelectorAll('[data-testid="job-device"] .badge'), (b) => b.textContent);
        return badges.length > 0 && badges.every((text) => text === 'Failed');
      });
      await shoot('job-detail-failed');
    }

    if (wanted('job-revert')) {
      // The ended setting job's Revert, at its confirmation.
      await open(`/job/${encodeURIComponent(scene.fanJob)}`);
      await page.getByTestId('job-device').first().waitFor();
      await page.getByRole('button', { name: 'Revert', exact: true }).click();
      await page.getByRole('alertdialog').waitFor();
      await shoot('job-revert');
      await page.getByRole('alertdialog').getByRole('button', { name: 'Cancel' }).click();
    }

    if (wanted('job-detail-at')) {
      // The batched job as it was halfway through its life so far, on the time slider.
      await open(`/job/${encodeURIComponent(scene.rolloutJob)}`);
      await page.getByTestId('job-device').first().waitFor();
      const slider = page.getByTestId('job-time-slider');
      const devicesThen = page.waitForResponse((response) => response.url().includes('/devices?') && response.url().includes('at='));
      await slider.fill(String(Math.floor(Number(await slider.getAttribute('max')) / 2)));
      await page.getByTestId('job-time-value').filter({ hasText: 'As it was at' }).waitFor();
      await page.getByRole('button', { name: 'Back to live' }).waitFor();
      // Settled on the moment: the header no longer says Live, and the job shown is the one of that moment.
      await page.waitForFunction(() => !document.querySelector('.job-status-line .live'));
      await devicesThen;
      await page.getByTestId('job-time-slider').evaluate((el) => el.scrollIntoView({ block: 'center' }));
      await shoot('job-detail-at');
    }

    if (wanted('devices')) {
      await open('/devices');
      await page.locator('main tbody tr a').first().waitFor();
      await shoot('devices');
    }

    if (wanted('device-sets')) {
      await open('/device-sets');
      await page.getByTestId('device-set-row').first().waitFor();
      await shoot('device-sets');
    }

    if (wanted('broken-set')) {
      await open(`/jobs/new?set=${scene.broken}`);
      await page.locator('.picker [role="alert"]').waitFor();
      await shoot('broken-set');
    }

    // Last: a schedule's runs take a minute, after which the running jobs the screens above show have ended.
    if (wanted('schedule-repeat-form')) await shootRepeatForm({ page, open, shoot, scene });
    if (wanted('schedule-detail')) await shootScheduleDetail({ page, open, shoot, scene, api, waitUntil });
  } finally {
    await context.close();
    await rm(userDataDir, { recursive: true, force: true });
    await api('POST', `/api/jobs/${encodeURIComponent(scene.runningJob)}/stop`).catch(() => undefined);
    await api('POST', `/api/jobs/${encodeURIComponent(scene.rolloutJob)}/stop`).catch(() => undefined);
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
