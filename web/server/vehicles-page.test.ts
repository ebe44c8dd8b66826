/** The vehicles page shows who drives each taxi; owners get a control to change it, viewers only the name. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPlatform, type TestPlatform } from '../../e2e/support/test-platform.ts';
import { createMemoryAssets } from '../../edge/adapters/assets/memory-assets.ts';
import { createApp } from '../../edge/app.ts';
import { assignDriver } from '../../edge/domain/driver-assignments.ts';
import { createDriver, createFleet, createUser, createVehicle } from '../../edge/domain/provisioning.ts';

const MANIFEST = { files: { 'main.js': '/assets/main-TEST1234.js', 'app.css': '/assets/app-TEST1234.css' } };
const PASSWORD = 'vehicles-page-pass-1';

describe('vehicles page', () => {
  let platform: TestPlatform;
  let app: ReturnType<typeof createApp>;
  const ids: Record<string, string> = {};

  const cookieOf = async (email: string) => {
    const res = await app.request('/api/v1/auth/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password: PASSWORD }) });
    expect(res.status).toBe(200);
    return res.headers.getSetCookie().map((c) => c.split(';')[0]).filter((c) => !c.startsWith('tw_refresh')).join('; ');
  };
  const vehiclesPage = async (email: string) => {
    const res = await app.request('/vehicles?lang=en', { headers: { cookie: await cookieOf(email) } });
    expect(res.status).toBe(200);
    return res.text();
  };
  /** The cells of the table row whose first cell is this plate, as text and as HTML. */
  const rowOf = (html: string, plate: string) => {
    const row = [...html.matchAll(/<tr[^>]*>(.*?)<\/tr>/gs)].map((m) => m[1]).find((r) => r.includes(`>${plate}</td>`));
    if (!row) throw new Error(`no row for ${plate}`);
    return row;
  };

  beforeAll(async () => {
    platform = await createTestPlatform();
    app = createApp(platform, { webAssets: createMemoryAssets({ 'manifest.json': JSON.stringify(MANIFEST), 'assets/main-TEST1234.js': 'export {}' }) });
    const deps = { db: platform.db.kysely, clock: platform.clock, ids: platform.ids };
    const fleetId = (await createFleet(deps, { name: 'Page fleet', locale: 'en' })).id;
    const other = (await createFleet(deps, { name: 'Other' })).id;
    ids.driven = (await createVehicle(deps, { fleetId, plate: '1111AAA' })).id;
    ids.idle = (await createVehicle(deps, { fleetId, plate: '2222BBB' })).id;
    ids.marta = (await createDriver(deps, { fleetId, name: 'Marta Ruiz', licenceExpiresOn: '2030-01-01' })).id;
    ids.luis = (await createDriver(deps, { fleetId, name: 'Luis Gil', licenceExpiresOn: '2030-01-01' })).id;
    await createDriver(deps, { fleetId: other, name: 'Stranger Driver', licenceExpiresOn: '2030-01-01' });
    await assignDriver(deps, { fleetId, vehicleId: ids.driven, driverId: ids.marta, assignedBy: null });
    await createUser(deps, { fleetId, email: 'owner@page.test', password: PASSWORD, role: 'owner' });
    await createUser(deps, { fleetId, email: 'viewer@page.test', password: PASSWORD, role: 'viewer' });
  });
  afterAll(() => platform.close());

  it('shows viewers the current driver by name, and no control', async () => {
    const html = await vehiclesPage('viewer@page.test');
    expect(html).toContain('<th scope="col" role="columnheader">Driver</th>');
    expect(rowOf(html, '1111AAA')).toContain(`<span data-driver-of="${ids.driven}">Marta Ruiz</span>`);
    expect(rowOf(html, '2222BBB')).toContain(`data-driver-of="${ids.idle}">—</span>`);
    expect(html).not.toContain('data-island="driver-assign"');
  });

  it("gives owners a select of the fleet's drivers with the current one chosen", async () => {
    const html = await vehiclesPage('owner@page.test');
    const driven = rowOf(html, '1111AAA');
    expect(driven).toContain('data-island="driver-assign"');
    expect(driven).toContain('aria-label="Driver of 1111AAA"');
    expect(driven).toMatch(new RegExp(`<option[^>]* selected[^>]*value="${ids.marta}"[^>]*>Marta Ruiz</option>|<option value="${ids.marta}" selected[^>]*>Marta Ruiz</option>`));
    expect(driven).not.toMatch(/<option[^>]* selected[^>]*>No driver/);
    expect(driven).toMatch(new RegExp(`<option value="${ids.luis}">Luis Gil</option>`));
    expect(rowOf(html, '2222BBB')).toMatch(/<option[^>]* selected[^>]*>No driver<\/option>/);
    expect(rowOf(html, '2222BBB')).not.toMatch(/<option[^>]* selected[^>]*>Marta Ruiz/);
    expect(html).not.toContain('Stranger Driver');
  });
});
