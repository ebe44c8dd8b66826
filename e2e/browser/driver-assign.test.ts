/**
 * Drivers in Chromium: the owner picks a driver on /vehicles (saved at once, warned about an expired licence), the
 * taxi panel on /map shows that driver, on /drivers the owner renews a licence and adds a driver, on /vehicles adds a
 * taxi, and on /settings changes the fleet's rules and
 * adds and removes a viewer.
 */
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createDevice, createDriver, createFleet, createUser, createVehicle } from '../../edge/domain/provisioning.ts';
import { hasChromium, startWebHarness, type WebHarness } from './browser-harness.ts';

const PASSWORD = 'driver-browser-pass-1';

describe.skipIf(!hasChromium)('driver assignment in Chromium', () => {
  let web: WebHarness;
  let vehicleId: string;
  let deviceKey: string;
  const drivers: Record<string, string> = {};
  const pageErrors: string[] = [];

  const watch = (page: Page) => {
    page.on('pageerror', (error) => pageErrors.push(`${page.url()}: ${error.message}`));
    page.on('response', async (res) => {
      if (res.status() >= 400) pageErrors.push(`${res.request().method()} ${res.url()} → ${res.status()}`);
    });
    return page;
  };
  const currentDriver = async () =>
    (await web.platform.db.kysely.selectFrom('vehicle_drivers').select('driver_id').where('vehicle_id', '=', vehicleId).where('ended_at', 'is', null).executeTakeFirst())?.driver_id ?? null;

  beforeAll(async () => {
    web = await startWebHarness();
    const { platform } = web;
    const deps = { db: platform.db.kysely, clock: platform.clock, ids: platform.ids };
    const fleet = await createFleet(deps, { name: 'Taxis Luna', timezone: 'Europe/Madrid', locale: 'en' });
    await createUser(deps, { fleetId: fleet.id, email: 'owner@drivers.test', password: PASSWORD, role: 'owner' });
    vehicleId = (await createVehicle(deps, { fleetId: fleet.id, plate: '4321XYZ' })).id;
    drivers.marta = (await createDriver(deps, { fleetId: fleet.id, name: 'Marta Ruiz', licenceExpiresOn: '2030-01-01' })).id;
    drivers.olga = (await createDriver(deps, { fleetId: fleet.id, name: 'Olga Expired', licenceExpiresOn: '2026-01-01' })).id;
    deviceKey = (await createDevice(deps, { vehicleId })).key;
    const fix = { latitude: 40.39, longitude: -3.7, speed: 0, heading: 0, timestamp: '2026-06-01T07:50:00Z' };
    const res = await fetch(`${web.url}/api/v1/tracking/location`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-device-key': deviceKey }, body: JSON.stringify(fix) });
    expect(res.status).toBe(202);
  }, 120_000);
  afterAll(() => web?.close());
  afterEach(() => expect(pageErrors.splice(0)).toEqual([]));

  it('assigns from the vehicles page and shows the driver in the taxi panel', { timeout: 90_000 }, async () => {
    const context = await web.browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-GB' });
    const page = watch(await context.newPage());
    await page.goto(`${web.url}/vehicles`);
    await page.waitForURL(/\/login\?next=/);
    await page.locator('[data-island="login-form"][data-hydrated="true"]').waitFor();
    await page.getByLabel('Email').fill('owner@drivers.test');
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.waitForURL(`${web.url}/vehicles`);

    await page.locator('[data-island="driver-assign"][data-hydrated="true"]').waitFor();
    const select = page.getByLabel('Driver of 4321XYZ');
    await select.selectOption({ label: 'Olga Expired' });
    await page.getByRole('status').filter({ hasText: 'licence has expired' }).waitFor();
    expect(await currentDriver()).toBe(drivers.olga);
    await select.selectOption({ label: 'Marta Ruiz' });
    await page.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
    expect(await currentDriver()).toBe(drivers.marta);

    await page.goto(`${web.url}/map`);
    await page.locator(`.leaflet-marker-icon[data-vehicle-id="${vehicleId}"]`).click();
    const panel = page.getByTestId('vehicle-panel');
    await panel.waitFor();
    await expect.poll(() => panel.locator('dd').nth(1).textContent()).toBe('Marta Ruiz');

    // Drivers: renew Olga's licence (her badge turns valid) and add a new driver.
    await page.goto(`${web.url}/drivers`);
    const olga = page.locator('tr', { hasText: 'Olga Expired' });
    await olga.locator('[data-island="licence-edit"][data-hydrated="true"]').waitFor();
    expect(await olga.locator('.pill').textContent()).toBe('expired');
    await page.getByLabel('Licence expiry of Olga Expired').fill('2031-03-31');
    await olga.getByRole('button', { name: 'Save' }).click();
    await olga.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
    expect(await olga.locator('.pill').textContent()).toBe('valid');
    const stored = await web.platform.db.kysely.selectFrom('drivers').select('licence_expires_on').where('id', '=', drivers.olga).executeTakeFirstOrThrow();
    expect(stored.licence_expires_on).toBe('2031-03-31');

    await page.locator('[data-island="driver-add"][data-hydrated="true"]').waitFor();
    await page.locator('#driver-name').fill('Nuria Gil');
    await page.locator('#driver-licence-number').fill('B-778899');
    await page.locator('#driver-licence-expires').fill('2026-06-20');
    await page.getByRole('button', { name: 'Add driver' }).click();
    const nuria = page.locator('tr', { hasText: 'Nuria Gil' });
    await nuria.waitFor();
    expect(await nuria.locator('.pill').textContent()).toBe('< 30 days');

    // Vehicles: add a taxi by its plate.
    await page.goto(`${web.url}/vehicles`);
    await page.locator('[data-island="vehicle-add"][data-hydrated="true"]').waitFor();
    await page.locator('#vehicle-plate').fill('7777 TST');
    await page.getByRole('button', { name: 'Add vehicle' }).click();
    await page.locator('tr', { hasText: '7777 TST' }).waitFor();

    // Settings: a lower speed limit and a stricter harsh-braking threshold.
    await page.getByRole('link', { name: 'Settings' }).click();
    await page.locator('[data-island="fleet-settings"][data-hydrated="true"]').waitFor();
    await page.getByLabel('Speed limit (km/h)').fill('70');
    await page.getByLabel('Harsh braking from (m/s²)').fill('4.2');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
    await page.screenshot({ path: 'test-results/screenshots/desktop-settings.png', fullPage: true });
    // The form keeps what was saved (it does not snap back to the values it was rendered with).
    expect(await page.getByLabel('Speed limit (km/h)').inputValue()).toBe('70');
    const fleet = await web.platform.db.kysely.selectFrom('fleets').select(['speed_limit_kmh', 'telemetry']).where('name', '=', 'Taxis Luna').executeTakeFirstOrThrow();
    expect(fleet.speed_limit_kmh).toBe(70);
    expect(fleet.telemetry).toMatchObject({ harsh_braking_ms2: 4.2, harsh_acceleration_ms2: 3 });

    // People: add a dispatcher as a viewer, then remove them (after confirming).
    await page.locator('[data-island="team-members"][data-hydrated="true"]').waitFor();
    await page.locator('#team-email').fill('dispatch@drivers.test');
    await page.locator('#team-password').fill('dispatch-pass-1');
    await page.getByRole('button', { name: 'Add a viewer' }).click();
    const member = page.getByTestId('team-list').locator('li', { hasText: 'dispatch@drivers.test' });
    await member.waitFor();
    const roleOf = () => web.platform.db.kysely.selectFrom('users').select('role').where('email', '=', 'dispatch@drivers.test').execute();
    expect(await roleOf()).toEqual([{ role: 'viewer' }]);
    page.once('dialog', (dialog) => void dialog.accept());
    await member.getByRole('button', { name: 'Remove dispatch@drivers.test' }).click();
    await member.waitFor({ state: 'detached' });
    expect(await roleOf()).toEqual([]);
    await context.close();
  });
});
