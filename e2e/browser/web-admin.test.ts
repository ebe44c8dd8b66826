/**
 * Trip replay and the admin console in headless Chromium against a real loopback server: an owner replays a trip
 * (the slider moves the marker, by keyboard too; the speed chart is drawn), an admin logs in with TOTP and opens
 * the system health page, replays a dead letter, and watches the live events. Screenshots at 390×844 and 1280×800
 * land in test-results/screenshots/.
 */
import { mkdir } from 'node:fs/promises';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { totpCode } from '../../edge/domain/auth/totp.ts';
import { createDevice, createFleet, createUser, createVehicle } from '../../edge/domain/provisioning.ts';
import { drive } from '../../edge/domain/telemetry/telemetry-test-drive.ts';
import { hasChromium, startWebHarness, type WebHarness } from './browser-harness.ts';

const SHOTS = 'test-results/screenshots';
const PASSWORD = 'web-admin-browser-1';
const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 800 };

describe.skipIf(!hasChromium)('trip replay and admin console in Chromium', () => {
  let web: WebHarness;
  let tripId: string;
  let deviceKey: string;
  let lastPoint: string;
  let firstPoint: string;

  const pageErrors: string[] = [];
  const open = async (browser: Browser, viewport: { width: number; height: number }, locale: string) => {
    const context = await browser.newContext({ viewport, locale });
    const page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(`${page.url()}: ${error.message}`));
    page.on('console', (message) => message.type() === 'error' && pageErrors.push(`${page.url()}: console: ${message.text()}`));
    return page;
  };

  const login = async (page: Page, email: string, path: string, totpSecret = false) => {
    await page.goto(`${web.url}${path}`);
    await page.waitForURL(/\/login\?next=/);
    await page.locator('[data-island="login-form"][data-hydrated="true"]').waitFor();
    await page.locator('#login-email').fill(email);
    await page.locator('#login-password').fill(PASSWORD);
    await page.locator('#login-password').press('Enter');
    if (totpSecret) {
      // First login of an admin: set up TOTP with the key the page shows, then enter the current code.
      const secret = (await page.getByTestId('mfa-secret').textContent())!.trim();
      await page.locator('#login-code').fill(totpCode(secret, web.platform.clock.now()));
      await page.locator('#login-code').press('Enter');
      // Then the recovery codes, shown once: confirmed as saved before going on.
      await page.getByTestId('recovery-codes').waitFor();
      await page.locator('.recovery-codes input[type="checkbox"]').check();
      await page.locator('.recovery-codes button:not(.secondary)').click();
    }
    await page.waitForURL(`${web.url}${path}`);
  };

  beforeAll(async () => {
    await mkdir(SHOTS, { recursive: true });
    web = await startWebHarness();
    const { platform } = web;
    const deps = { db: platform.db.kysely, clock: platform.clock, ids: platform.ids };
    const fleet = await createFleet(deps, { name: 'Taxis Sol', timezone: 'Europe/Madrid', locale: 'es' });
    await createUser(deps, { fleetId: fleet.id, email: 'owner@replay.test', password: PASSWORD, role: 'owner' });
    await createUser(deps, { fleetId: null, email: 'admin@replay.test', password: PASSWORD, role: 'admin' });
    const vehicleId = (await createVehicle(deps, { fleetId: fleet.id, plate: '1234ABC' })).id;
    deviceKey = (await createDevice(deps, { vehicleId })).key;
    const fixes = drive([{ kmh: 60, seconds: 3 }, { kmh: 50, seconds: 90 }, { kmh: 0, seconds: 20 }], { startAt: Date.parse('2026-06-01T07:30:00Z'), lat: 40.4 });
    const res = await fetch(`${web.url}/api/v1/tracking/location`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-device-key': deviceKey },
      body: JSON.stringify({ fixes: fixes.map((f) => ({ latitude: f.lat, longitude: f.lon, speed: f.speedKmh, heading: 0, timestamp: new Date(f.at).toISOString() })) }),
    });
    expect(res.status).toBe(202);
    const trip = await platform.db.kysely.selectFrom('trips').select(['id', 'started_at']).where('vehicle_id', '=', vehicleId).executeTakeFirstOrThrow();
    tripId = trip.id;
    const track = await platform.db.kysely.selectFrom('gps_fixes').select(['latitude', 'longitude']).where('vehicle_id', '=', vehicleId).where('device_time', '>=', trip.started_at).orderBy('device_time').execute();
    const at = (f: { latitude: number; longitude: number }) => `${f.latitude.toFixed(5)},${f.longitude.toFixed(5)}`;
    firstPoint = at(track[0]);
    lastPoint = at(track.at(-1)!);
  }, 120_000);
  afterAll(() => web?.close());
  afterEach(() => {
    const errors = pageErrors.splice(0);
    expect(errors).toEqual([]);
  });

  it('replays a trip: the slider moves the marker (mouse and keyboard) and the speed chart is drawn', { timeout: 90_000 }, async () => {
    for (const [size, viewport, locale] of [['phone', PHONE, 'es-ES'], ['desktop', DESKTOP, 'en-GB']] as const) {
      const page = await open(web.browser, viewport, locale);
      await login(page, 'owner@replay.test', '/trips');
      await page.locator(`a[href="/trips/${tripId}"]`).click();
      await page.waitForURL(`${web.url}/trips/${tripId}`);
      await page.locator('[data-testid="replay-map"][data-ready="true"]').waitFor();
      const marker = page.locator('path.replay-marker');
      await expect.poll(() => marker.getAttribute('data-position')).toBe(firstPoint);
      // uPlot drew the speed chart into its canvas, with the incident of the hard start marked.
      await page.locator('[data-testid="speed-chart"] .uplot canvas').waitFor();
      expect(await page.locator('path.replay-incident').count()).toBeGreaterThan(0);

      const slider = page.locator('#replay-slider');
      await slider.focus();
      await slider.press('End');
      await expect.poll(() => marker.getAttribute('data-position')).toBe(lastPoint);
      const max = Number(await slider.getAttribute('max'));
      expect(await marker.getAttribute('data-index')).toBe(String(max));
      await slider.press('Home');
      await expect.poll(() => marker.getAttribute('data-index')).toBe('0');
      await slider.press('ArrowRight');
      await expect.poll(() => marker.getAttribute('data-index')).toBe('1');
      // Dragging to the middle lands the marker (and the chart's cursor) on the fix in the middle.
      await slider.fill(String(Math.round(max / 2)));
      await expect.poll(() => marker.getAttribute('data-index')).toBe(String(Math.round(max / 2)));
      expect(await page.locator('.speed-chart .u-cursor-x').count()).toBe(1);
      expect(await page.getByTestId('replay-now').textContent()).toMatch(/km\/h/);
      await page.screenshot({ path: `${SHOTS}/${size}-trip-replay.png`, fullPage: true });
      await page.context().close();
    }
  });

  it('provisions a device with its key shown once and QR codes, then gives it a new key and revokes it', { timeout: 90_000 }, async () => {
    const page = await open(web.browser, PHONE, 'en-GB');
    await login(page, 'owner@replay.test', '/devices');
    await page.locator('[data-island="device-provision"][data-hydrated="true"]').waitFor();
    await page.locator('#provision-name').fill('Dashcam front');
    await page.getByRole('button', { name: 'Create device and key' }).click();
    const key = (await page.getByTestId('device-key').textContent())!.trim();
    expect(key).toMatch(/^twd_/);
    expect(await page.locator('[data-qr="phone"]').getAttribute('data-qr-text')).toBe(`${web.url}/api/v1/osmand?id=${encodeURIComponent(key)}`);
    expect(await page.locator('[data-qr] svg').count()).toBe(2);
    await page.screenshot({ path: `${SHOTS}/phone-device-key.png`, fullPage: true });
    // The key works at once, through the OsmAnd endpoint the phone code points at.
    const osmand = (id: string) => fetch(`${web.url}/api/v1/osmand?id=${encodeURIComponent(id)}&lat=40.43&lon=-3.7&timestamp=${Math.floor(Date.parse('2026-06-01T07:59:30Z') / 1000)}`);
    expect((await osmand(key)).status).toBe(200);

    await page.getByRole('button', { name: 'I have saved the key' }).click();
    const row = page.locator('tr', { hasText: 'Dashcam front' });
    await row.locator('[data-island="device-actions"][data-hydrated="true"]').waitFor();
    page.once('dialog', (dialog) => void dialog.accept());
    await row.getByRole('button', { name: /^New key/ }).click();
    const rotated = (await page.getByTestId('device-key').textContent())!.trim();
    expect(rotated).not.toBe(key);
    await page.getByRole('button', { name: 'I have saved the key' }).click();

    const fresh = page.locator('tr', { hasText: 'Dashcam front' });
    await fresh.locator('[data-island="device-actions"][data-hydrated="true"]').waitFor();
    page.once('dialog', (dialog) => void dialog.dismiss());
    await fresh.getByRole('button', { name: /^Revoke/ }).click();
    expect(await fresh.getByRole('button', { name: /^Revoke/ }).count()).toBe(1);
    page.once('dialog', (dialog) => void dialog.accept());
    await fresh.getByRole('button', { name: /^Revoke/ }).click();
    await fresh.locator('.device-revoked').waitFor();
    expect((await osmand(rotated)).status).toBe(401);
    await page.setViewportSize(DESKTOP);
    await page.screenshot({ path: `${SHOTS}/desktop-devices.png`, fullPage: true });
    await page.context().close();
  });

  it('logs an admin in with TOTP and shows system health, dead-letter replay and live events', { timeout: 90_000 }, async () => {
    // A job nobody handles ends in dead letters after its one try (the harness runs no consumer: run it once here).
    const { queue } = web.platform;
    const { id: deadId } = await queue.enqueue('web-admin-unknown-job', {}, { maxAttempts: 1 });
    queue.setHandlers({});
    await queue.runDue();
    expect((await queue.deadLetters()).map((d) => d.id)).toContain(deadId);

    const page = await open(web.browser, DESKTOP, 'en-GB');
    await login(page, 'admin@replay.test', '/admin', true);
    await page.locator('[data-island="admin-health"][data-hydrated="true"]').waitFor();
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('System health');
    expect(await page.locator('tr[data-component="db"] .pill').textContent()).toBe('ok');
    expect(await page.getByTestId('ingest-rate').textContent()).toMatch(/fixes\/s/);
    await page.locator(`tr[data-dead-letter="${deadId}"]`).waitFor();
    // The page refreshes itself every few seconds: the next answer arrives without a reload.
    const refreshed = await page.waitForResponse((res) => res.url() === `${web.url}/api/v1/admin/system`, { timeout: 8000 });
    expect(refreshed.status()).toBe(200);
    await page.screenshot({ path: `${SHOTS}/desktop-admin-health.png`, fullPage: true });
    await page.locator(`tr[data-dead-letter="${deadId}"] button`).click();
    await page.getByText('Queued again.').waitFor();
    await page.setViewportSize(PHONE);
    await page.screenshot({ path: `${SHOTS}/phone-admin-health.png`, fullPage: true });
    await page.setViewportSize(DESKTOP);

    await page.goto(`${web.url}/admin/live`);
    await page.locator('[data-island="admin-live-feed"][data-hydrated="true"]').waitFor();
    await page.locator('.live-status[data-state="open"]').waitFor();
    // Later than every fix the other tests sent (07:59:30): only a newer fix moves the taxi and is published.
    const send = (lat: number, second: number) =>
      fetch(`${web.url}/api/v1/tracking/location`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-device-key': deviceKey }, body: JSON.stringify({ latitude: lat, longitude: -3.7, speed: 20, timestamp: `2026-06-01T07:59:${40 + second}Z` }) });
    // A few metres from the taxi's last fix (40.43 at 07:59:30): a drive, not a GPS jump the pipeline would drop.
    expect((await send(40.4301, 1)).status).toBe(202);
    await page.locator('tr[data-event-type="location_update"]').first().waitFor();
    expect(await page.locator('tr[data-event-type="location_update"]').first().textContent()).toContain('1234ABC');
    // Paused: new events are held and counted, not shown; resuming shows them.
    await page.getByTestId('live-pause').click();
    const shownBefore = await page.locator('[data-testid="live-events"] tbody tr').count();
    expect((await send(40.4302, 2)).status).toBe(202);
    await expect.poll(() => page.getByTestId('live-held').textContent()).toMatch(/^[1-9]\d* new events held/);
    expect(await page.locator('[data-testid="live-events"] tbody tr').count()).toBe(shownBefore);
    await page.screenshot({ path: `${SHOTS}/desktop-admin-live.png`, fullPage: true });
    await page.getByTestId('live-pause').click();
    await expect.poll(() => page.locator('[data-testid="live-events"] tbody tr').count()).toBeGreaterThan(shownBefore);

    // Fleets and users: create a fleet, then an owner for it, through the forms.
    await page.goto(`${web.url}/admin/fleets`);
    await page.locator('[data-island="admin-fleet-forms"][data-hydrated="true"]').waitFor();
    await page.locator('#fleet-name').fill('Radio Taxi Norte');
    await page.locator('#fleet-timezone').selectOption('Europe/Madrid');
    await page.getByRole('button', { name: 'Create fleet' }).click();
    await page.locator('li[data-fleet-id]', { hasText: 'Radio Taxi Norte' }).waitFor();
    await page.locator('[data-island="admin-fleet-forms"][data-hydrated="true"]').waitFor();
    await page.locator('#user-fleet').selectOption({ label: 'Radio Taxi Norte' });
    await page.locator('#user-email').fill('norte@replay.test');
    await page.locator('#user-password').fill('norte-owner-pass-1');
    await page.getByRole('button', { name: 'Add user' }).click();
    await page.locator('li[data-fleet-id]', { hasText: 'Radio Taxi Norte' }).getByText('norte@replay.test').waitFor();
    const stored = await web.platform.db.kysely.selectFrom('users').innerJoin('fleets', 'fleets.id', 'users.fleet_id').select(['users.role', 'fleets.name']).where('users.email', '=', 'norte@replay.test').execute();
    expect(stored).toEqual([{ role: 'owner', name: 'Radio Taxi Norte' }]);
    await page.screenshot({ path: `${SHOTS}/desktop-admin-fleets.png`, fullPage: true });

    // Then make them a viewer, and remove them (after confirming).
    const roleOf = (email: string) => web.platform.db.kysely.selectFrom('users').select('role').where('email', '=', email).execute();
    const row = page.locator('li[data-user-id]', { hasText: 'norte@replay.test' });
    await row.locator('[data-island="admin-user-actions"][data-hydrated="true"]').waitFor();
    await page.getByLabel('Role of norte@replay.test').selectOption('viewer');
    await row.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
    expect(await roleOf('norte@replay.test')).toEqual([{ role: 'viewer' }]);
    page.once('dialog', (dialog) => void dialog.accept());
    await page.getByRole('button', { name: 'Remove norte@replay.test' }).click();
    await row.getByRole('status').filter({ hasText: 'Removed.' }).waitFor();
    expect(await roleOf('norte@replay.test')).toEqual([]);
    await page.context().close();
  });
});
