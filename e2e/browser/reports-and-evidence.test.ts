/**
 * /reports and the evidence pack player in headless Chromium: an owner asks for a report, sees it being made and
 * then ready as its report_ready arrives live; on an incident, makes an evidence pack, and plays it — checked in
 * the browser first — with the speed beside each frame. Phone screenshots land in test-results/screenshots/.
 */
import { mkdir } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFleet, createUser, createVehicle } from '../../edge/domain/provisioning.ts';
import { sharedDataDir } from '../../firmware/simulator/shared-data.ts';
import { loadFrames } from '../../firmware/simulator/track-loader.ts';
import { jobHandlers } from '../../jobs/index.ts';
import { hasChromium, startWebHarness, type WebHarness } from './browser-harness.ts';

const SHOTS = 'test-results/screenshots';
const PASSWORD = 'reports-browser-pass-1';
const PHONE = { width: 390, height: 844 };

describe.skipIf(!hasChromium)('reports and evidence packs in Chromium', () => {
  let web: WebHarness;
  let page: Page;
  const errors: string[] = [];

  beforeAll(async () => {
    await mkdir(SHOTS, { recursive: true });
    web = await startWebHarness();
    const { platform } = web;
    platform.queue.setHandlers(jobHandlers(platform));
    const db = platform.db.kysely;
    const deps = { db, clock: platform.clock, ids: platform.ids };
    const fleet = await createFleet(deps, { name: 'Taxis Sol', timezone: 'Europe/Madrid', locale: 'es' });
    await createUser(deps, { fleetId: fleet.id, email: 'owner@reports-browser.test', password: PASSWORD, role: 'owner' });
    const vehicleId = (await createVehicle(deps, { fleetId: fleet.id, plate: '1234ABC' })).id;
    const t0 = platform.clock.now() - 3_600_000;
    const images = loadFrames(sharedDataDir()).slice(0, 4);
    for (const [i, image] of images.entries()) {
      const at = new Date(t0 + (i - 1) * 10_000);
      await platform.blobs.put(`frames/${vehicleId}/${i}.jpg`, image, { contentType: 'image/jpeg' });
      await db.insertInto('frames').values({ id: `frame-${i}`, fleet_id: fleet.id, vehicle_id: vehicleId, device_id: null, blob_key: `frames/${vehicleId}/${i}.jpg`, captured_at: at, received_at: at, size_bytes: image.length, width: null, height: null }).execute();
    }
    for (let s = -100; s <= 100; s += 5) {
      const at = new Date(t0 + s * 1000);
      await db.insertInto('gps_fixes').values({ fleet_id: fleet.id, vehicle_id: vehicleId, device_id: null, device_time: at, received_at: at, latitude: 40.4168 + s / 20_000, longitude: -3.7038 + Math.sin(s / 30) / 2000, speed_kmh: 40 + s / 5, heading: null, accuracy_m: null, altitude_m: null }).execute();
    }
    await db.insertInto('incidents').values({ id: 'incident-1', fleet_id: fleet.id, vehicle_id: vehicleId, driver_id: null, trip_id: null, frame_id: 'frame-1', type: 'PHONE_USAGE', severity: 'HIGH', confidence: 0.9, description: 'Móvil en la mano', source: 'vision', latitude: 40.4168, longitude: -3.7038, occurred_at: new Date(t0), last_seen_at: new Date(t0), status_changed_by: null, status_changed_at: null, status_reason: null, created_at: new Date(t0) }).execute();

    const context = await web.browser.newContext({ viewport: PHONE, locale: 'es-ES', isMobile: true, hasTouch: true, acceptDownloads: true });
    page = await context.newPage();
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(`${web.url}/reports`);
    await page.locator('[data-island="login-form"][data-hydrated="true"]').waitFor();
    await page.getByLabel(/Correo|Email/).fill('owner@reports-browser.test');
    await page.getByLabel(/Contraseña|Password/).fill(PASSWORD);
    await page.getByRole('button', { name: /Entrar|Log in/ }).click();
    await page.waitForURL(`${web.url}/reports`);
  }, 180_000);
  afterAll(() => web?.close());

  it('requests a report and sees it become ready live', async () => {
    await page.locator('[data-island="reports-panel"][data-hydrated="true"]').waitFor();
    await page.locator('[data-island="live-status"] [data-state="open"]').waitFor();
    await page.getByLabel('Formato').selectOption('csv');
    await page.getByRole('button', { name: 'Pedir informe' }).click();
    const item = page.locator('.report-item').first();
    await expect.poll(() => item.getAttribute('data-status')).toBe('queued');
    await web.platform.queue.runDue();
    await expect.poll(() => item.getAttribute('data-status'), { timeout: 10_000 }).toBe('ready');
    await page.screenshot({ path: `${SHOTS}/phone-reports.png`, fullPage: true });
    const download = await Promise.all([page.waitForEvent('download'), item.getByRole('link', { name: 'Descargar' }).click()]).then(([d]) => d);
    expect(download.suggestedFilename()).toMatch(/^taxiwatch-report-\d{4}-\d{2}-\d{2}\.csv$/);
  });

  it('makes an evidence pack, checks it in the browser and plays it with the speed', async () => {
    await page.goto(`${web.url}/incidents/incident-1`);
    await page.locator('[data-island="evidence-player"][data-hydrated="true"]').waitFor();
    await page.getByRole('button', { name: 'Crear paquete de pruebas' }).click();
    await page.getByRole('button', { name: 'Reproducir' }).first().click();
    await expect.poll(() => page.getByTestId('pack-check').getAttribute('data-ok')).toBe('true');
    await expect(page.getByTestId('pack-check').textContent()).resolves.toContain('Íntegro');
    const player = page.getByTestId('pack-player');
    await player.waitFor();
    await expect.poll(() => player.getAttribute('data-index'), { timeout: 15_000 }).not.toBe('0');
    await expect(page.getByTestId('pack-speed').textContent()).resolves.toMatch(/\d+ km\/h/);
    expect(await page.locator('.pack-player img').evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(0);
    await page.getByRole('button', { name: 'Pausa' }).click();
    await page.locator('.evidence-pack').screenshot({ path: `${SHOTS}/phone-evidence-pack.png` });
    expect(errors).toEqual([]);
  });
});
