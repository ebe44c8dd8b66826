/**
 * The live connection in Chromium when the server ends the stream (as it does every few minutes): the header shows
 * "Reconnecting…", the browser comes back with Last-Event-ID, and a position published during the gap still
 * reaches the map (replayed from the bus's window).
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDevice, createFleet, createUser, createVehicle } from '../../edge/domain/provisioning.ts';
import { hasChromium, startWebHarness, type WebHarness } from './browser-harness.ts';

const PASSWORD = 'reconnect-pass-1234';

describe.skipIf(!hasChromium)('live connection in Chromium', () => {
  let web: WebHarness;
  let vehicleId: string;
  let deviceKey: string;

  const sendFix = async (latitude: number, timestamp: string) => {
    const res = await fetch(`${web.url}/api/v1/tracking/location`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-device-key': deviceKey },
      body: JSON.stringify({ latitude, longitude: -3.7, speed: 20, heading: 0, timestamp }),
    });
    expect(res.status).toBe(202);
  };
  const state = (page: Page) => page.locator('.live-status').getAttribute('data-state');

  beforeAll(async () => {
    web = await startWebHarness({ liveMaxDurationMs: 2500 });
    const deps = { db: web.platform.db.kysely, clock: web.platform.clock, ids: web.platform.ids };
    const fleet = await createFleet(deps, { name: 'Reconnect' });
    await createUser(deps, { fleetId: fleet.id, email: 'owner@reconnect.test', password: PASSWORD, role: 'owner' });
    vehicleId = (await createVehicle(deps, { fleetId: fleet.id, plate: '4242RCN' })).id;
    deviceKey = (await createDevice(deps, { vehicleId })).key;
  }, 120_000);
  afterAll(() => web?.close());

  it('shows "reconnecting" while the stream is down and replays what was published meanwhile', { timeout: 60_000 }, async () => {
    const context = await web.browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'en-GB' });
    await context.request.post(`${web.url}/api/v1/auth/login`, { data: { email: 'owner@reconnect.test', password: PASSWORD } });
    const page = await context.newPage();
    const resumedFrom: string[] = [];
    page.on('request', async (request) => {
      if (new URL(request.url()).pathname !== '/api/v1/live') return;
      const id = (await request.allHeaders())['last-event-id'];
      if (id) resumedFrom.push(id);
    });
    await page.goto(`${web.url}/map`);
    await expect.poll(() => state(page)).toBe('open');
    const marker = page.locator(`.leaflet-marker-icon[data-vehicle-id="${vehicleId}"]`);

    // An event on this connection gives the browser an id to resume from.
    await sendFix(40.41, '2026-06-01T07:59:00Z');
    await expect.poll(() => marker.getAttribute('data-position')).toBe('40.41000,-3.70000');

    await expect.poll(() => state(page), { timeout: 10_000, interval: 50 }).toBe('reconnecting');
    expect(await page.locator('.live-status').textContent()).toBe('Reconnecting…');
    await sendFix(40.42, '2026-06-01T07:59:30Z');
    await expect.poll(() => state(page), { timeout: 15_000 }).toBe('open');
    expect(resumedFrom[0]).toMatch(/^\d+-\d+$/);
    await expect.poll(() => marker.getAttribute('data-position')).toBe('40.42000,-3.70000');
    await context.close();
  });
});
