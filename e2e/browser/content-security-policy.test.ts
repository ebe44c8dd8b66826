/**
 * Every owner page, the login page and the offline page in Chromium under the policy they are served with: the
 * browser reports no violation (an inline script, style attribute or foreign script would be one) and every island
 * still hydrates. A page that broke the policy would load and look half-dead, so this is checked in a real browser.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDevice, createDriver, createFleet, createUser, createVehicle } from '../../edge/domain/provisioning.ts';
import { hasChromium, startWebHarness, type WebHarness } from './browser-harness.ts';

const PASSWORD = 'csp-owner-pass-123';
const PAGES = ['/map', '/alerts', '/incidents', '/incidents/inc-csp', '/trips', '/vehicles', '/drivers', '/devices', '/reports', '/assistant'];

/** Installed before any page script: keeps every violation the page reports. */
const recordViolations = () => {
  const seen: string[] = [];
  (window as unknown as { cspViolations: string[] }).cspViolations = seen;
  document.addEventListener('securitypolicyviolation', (e) => seen.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`));
};
const violations = (page: Page) => page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations);

describe.skipIf(!hasChromium)('content security policy in Chromium', () => {
  let web: WebHarness;

  beforeAll(async () => {
    web = await startWebHarness();
    const deps = { db: web.platform.db.kysely, clock: web.platform.clock, ids: web.platform.ids };
    const fleet = await createFleet(deps, { name: 'CSP' });
    await createUser(deps, { fleetId: fleet.id, email: 'owner@csp.test', password: PASSWORD, role: 'owner' });
    const vehicle = await createVehicle(deps, { fleetId: fleet.id, plate: '2222CSP' });
    await createDevice(deps, { vehicleId: vehicle.id });
    await createDriver(deps, { fleetId: fleet.id, name: 'Eva Gil', licenceNumber: 'B-777', licenceExpiresOn: '2027-06-05' });
    const at = new Date(web.platform.clock.now() - 60_000);
    await web.platform.db.kysely
      .insertInto('incidents')
      .values({ id: 'inc-csp', fleet_id: fleet.id, vehicle_id: vehicle.id, driver_id: null, trip_id: null, frame_id: null, type: 'HARSH_BRAKING', severity: 'HIGH', confidence: 1, description: 'Harsh braking', source: 'telemetry', latitude: 40.4, longitude: -3.7, occurred_at: at, last_seen_at: at, status_changed_by: null, status_changed_at: null, status_reason: null, created_at: at })
      .execute();
  }, 120_000);
  afterAll(() => web?.close());

  it('reports a violation when a page breaks the policy (the check itself can fail)', async () => {
    const context = await web.browser.newContext();
    await context.addInitScript(recordViolations);
    const page = await context.newPage();
    await page.goto(`${web.url}/login`);
    await page.evaluate(() => {
      const s = document.createElement('script');
      s.textContent = 'window.injected = true';
      document.body.append(s);
    });
    await expect.poll(() => violations(page)).toEqual([expect.stringMatching(/^script-src/)]);
    expect(await page.evaluate(() => (window as unknown as { injected?: boolean }).injected)).toBeUndefined();
    await context.close();
  });

  it('serves every owner page, the login page and the offline page without a violation, islands hydrated', { timeout: 120_000 }, async () => {
    const context = await web.browser.newContext({ viewport: { width: 390, height: 844 } });
    await context.addInitScript(recordViolations);
    await context.request.post(`${web.url}/api/v1/auth/login`, { data: { email: 'owner@csp.test', password: PASSWORD } });
    const page = await context.newPage();
    const found: string[] = [];
    for (const path of [...PAGES, '/login']) {
      if (path === '/login') await context.clearCookies();
      const res = await page.goto(`${web.url}${path}`);
      expect(res?.headers()['content-security-policy'], path).toContain("script-src 'self'");
      await page.locator('[data-island]').first().waitFor();
      await page.waitForFunction(() => [...document.querySelectorAll('[data-island]')].every((el) => (el as HTMLElement).dataset.hydrated === 'true'));
      found.push(...(await violations(page)).map((v) => `${path}: ${v}`));
    }
    await page.goto(`${web.url}/offline`);
    await page.locator('#retry').waitFor();
    found.push(...(await violations(page)).map((v) => `/offline: ${v}`));
    expect(found).toEqual([]);
    await context.close();
  });
});
