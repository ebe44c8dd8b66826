/**
 * The owner app in headless Chromium against a real loopback server: log in, watch a taxi move after a fix is
 * ingested, receive an alert live, open its incident and mark it false positive, switch language. Screenshots at
 * phone (390×844) and desktop (1280×800) sizes land in test-results/screenshots/.
 */
import { mkdir } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createDevice, createFleet, createUser, createVehicle } from '../../edge/domain/provisioning.ts';
import { drive } from '../../edge/domain/telemetry/telemetry-test-drive.ts';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sharedDataDir } from '../../firmware/simulator/shared-data.ts';
import { hasChromium, startWebHarness, type WebHarness } from './browser-harness.ts';

const SHOTS = 'test-results/screenshots';
const PASSWORD = 'owner-browser-pass-1';
const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 800 };

if (!hasChromium) console.warn('browser tests skipped: /usr/bin/chromium is not installed (apt-get install -y chromium)');

describe.skipIf(!hasChromium)('owner app in Chromium', () => {
  let web: WebHarness;
  let vehicleId: string;
  let deviceKey: string;

  const sendFixes = async (fixes: Array<{ latitude: number; longitude: number; speed?: number; heading?: number; timestamp: string }>) => {
    const res = await fetch(`${web.url}/api/v1/tracking/location`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-device-key': deviceKey }, body: JSON.stringify({ fixes }) });
    expect(res.status).toBe(202);
  };

  /** Scripts must not fail on any page: every uncaught error fails the test at its end. */
  const pageErrors: string[] = [];
  const watch = (page: Page) => {
    page.on('pageerror', (error) => pageErrors.push(`${page.url()}: ${error.message}`));
    page.on('response', async (res) => {
      if (res.status() >= 400) pageErrors.push(`${res.request().method()} ${res.url()} → ${res.status()} ${await res.text().catch(() => '')}`);
    });
    return page;
  };

  const login = async (page: Page, path = '/map') => {
    await page.goto(`${web.url}${path}`);
    await page.waitForURL(/\/login\?next=/);
    await page.locator('[data-island="login-form"][data-hydrated="true"]').waitFor();
    await page.getByLabel(/Email|Correo/).fill('owner@browser.test');
    await page.getByLabel(/Password|Contraseña/).fill(PASSWORD);
    await page.getByRole('button', { name: /Log in|Entrar/ }).click();
    await page.waitForURL(`${web.url}${path}`);
  };

  beforeAll(async () => {
    await mkdir(SHOTS, { recursive: true });
    web = await startWebHarness();
    const { platform } = web;
    const deps = { db: platform.db.kysely, clock: platform.clock, ids: platform.ids };
    const fleet = await createFleet(deps, { name: 'Taxis Sol', timezone: 'Europe/Madrid', locale: 'es' });
    await createUser(deps, { fleetId: fleet.id, email: 'owner@browser.test', password: PASSWORD, role: 'owner' });
    vehicleId = (await createVehicle(deps, { fleetId: fleet.id, plate: '1234ABC' })).id;
    await createVehicle(deps, { fleetId: fleet.id, plate: '5678DEF' });
    deviceKey = (await createDevice(deps, { vehicleId })).key;
    // Where the taxi stands when the owner opens the map (the test clock reads 2026-06-01T08:00Z).
    await sendFixes([{ latitude: 40.39, longitude: -3.7, speed: 0, heading: 0, timestamp: '2026-06-01T07:50:00Z' }]);
  }, 120_000);
  afterAll(() => web?.close());
  afterEach(() => {
    const errors = pageErrors.splice(0);
    expect(errors).toEqual([]);
  });

  it('logs in on a phone, sees the taxi move live, gets an alert live and marks its incident false positive', { timeout: 90_000 }, async () => {
    const context = await web.browser.newContext({ viewport: PHONE, locale: 'es-ES', isMobile: true, hasTouch: true });
    const page = watch(await context.newPage());
    await login(page);
    expect(await page.getAttribute('html', 'lang')).toBe('es');

    const marker = page.locator(`.leaflet-marker-icon[data-vehicle-id="${vehicleId}"]`);
    await expect.poll(() => marker.getAttribute('data-position')).toBe('40.39000,-3.70000');
    await page.locator('.live-status[data-state="open"]').waitFor();
    await page.screenshot({ path: `${SHOTS}/phone-map.png` });

    await sendFixes([{ latitude: 40.395, longitude: -3.701, speed: 32, heading: 90, timestamp: '2026-06-01T07:55:00Z' }]);
    await expect.poll(() => marker.getAttribute('data-position')).toBe('40.39500,-3.70100');
    await marker.click();
    await page.getByTestId('vehicle-panel').waitFor();
    expect(await page.getByTestId('vehicle-speed').textContent()).toBe('32 km/h');
    await page.screenshot({ path: `${SHOTS}/phone-map-taxi.png` });

    await page.getByRole('navigation', { name: 'Principal' }).getByRole('link', { name: /Alertas/ }).click();
    await page.waitForURL(`${web.url}/alerts`);
    await page.locator('[data-island="alert-list"][data-hydrated="true"]').waitFor();
    await page.locator('.live-status[data-state="open"]').waitFor();
    // A camera frame just before the hard start: evidence on the incident page.
    const jpeg = readFileSync(join(sharedDataDir(), 'images/dashcam/udacity_lanelines_solidWhiteCurve.jpg'));
    const upload = await fetch(`${web.url}/api/v1/video/frames/upload?captured_at=2026-06-01T07:57:58Z`, { method: 'POST', headers: { 'content-type': 'image/jpeg', 'x-device-key': deviceKey }, body: jpeg });
    expect(upload.status).toBe(202);
    // A hard start from standstill to 60 km/h in 3 s: the telemetry rules raise HARSH_ACCELERATION, published live.
    const start = Date.parse('2026-06-01T07:58:00Z');
    const hardStart = drive([{ kmh: 60, seconds: 3 }, { kmh: 60, seconds: 10 }], { startAt: start, lat: 40.396 });
    await sendFixes(hardStart.map((f) => ({ latitude: f.lat, longitude: f.lon, speed: f.speedKmh ?? 0, heading: 0, timestamp: new Date(f.at).toISOString() })));
    const alert = page.locator('[data-testid="alert-list"] li').first();
    await alert.waitFor();
    expect(await alert.textContent()).toMatch(/Alta|Media|Crítica/);
    // The live alert names its type in the page's language, and the telemetry rule described it in the fleet's.
    expect(await alert.locator('.alert-type').textContent()).toBe('Aceleración brusca');
    expect(await alert.textContent()).toMatch(/Aceleró de \d+ a \d+ km\/h en \d+,\d s/);
    await expect.poll(() => page.getByTestId('unread-count').textContent()).toBe('1');
    await page.screenshot({ path: `${SHOTS}/phone-alerts.png` });

    // The CRITICAL sound/vibration choice is remembered by this browser.
    const alarm = page.getByLabel(/Sonido y vibración/);
    expect(await alarm.isChecked()).toBe(false);
    await alarm.check();
    await page.reload();
    await page.locator('[data-island="alert-list"][data-hydrated="true"]').waitFor();
    await expect.poll(() => alarm.isChecked()).toBe(true);

    await page.locator('[data-testid="alert-list"] li').first().getByRole('link', { name: 'Ver incidente' }).click();
    await page.waitForURL(/\/incidents\//);
    await page.locator('[data-island="incident-review"][data-hydrated="true"]').waitFor();
    expect(await page.getByTestId('unread-count').count()).toBe(0); // opening the alert's incident read it
    const evidence = page.locator('.evidence img');
    await expect.poll(() => evidence.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(960);
    expect(await page.locator('.evidence figcaption').textContent()).toContain('(−3 s)');
    await page.getByRole('button', { name: 'Falso positivo' }).click();
    expect(await page.locator('.review-message').textContent()).toBe('Indica por qué es un falso positivo.');
    await page.getByLabel('Motivo').fill('Adelantamiento legal en la autovía');
    await page.getByRole('button', { name: 'Falso positivo' }).click();
    await expect.poll(() => page.getByTestId('incident-status').textContent()).toContain('falso positivo');
    await page.screenshot({ path: `${SHOTS}/phone-incident.png`, fullPage: true });
    const stored = await web.platform.db.kysely.selectFrom('incidents').select(['status', 'status_reason']).where('vehicle_id', '=', vehicleId).execute();
    expect(stored).toEqual([{ status: 'false_positive', status_reason: 'Adelantamiento legal en la autovía' }]);

    await page.locator('a[data-lang="en"]').click();
    await page.waitForURL(/lang=en/);
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    await page.goto(`${web.url}/incidents`);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Incidents');
    expect(await page.locator('[data-testid="incident-list"] strong').first().textContent()).toBe('Harsh acceleration');
    await context.close();
  });

  it('shows the same pages at desktop size', { timeout: 60_000 }, async () => {
    const context = await web.browser.newContext({ viewport: DESKTOP, locale: 'en-GB' });
    const page = watch(await context.newPage());
    await login(page);
    await page.locator(`.leaflet-marker-icon[data-vehicle-id="${vehicleId}"]`).waitFor();
    await page.locator('.live-status[data-state="open"]').waitFor();
    await page.screenshot({ path: `${SHOTS}/desktop-map.png` });
    await page.goto(`${web.url}/alerts`);
    await page.screenshot({ path: `${SHOTS}/desktop-alerts.png` });
    await page.goto(`${web.url}/incidents`);
    await page.locator('[data-testid="incident-list"] a').first().click();
    await page.waitForURL(/\/incidents\//);
    await page.screenshot({ path: `${SHOTS}/desktop-incident.png`, fullPage: true });
    await context.close();
  });
});
