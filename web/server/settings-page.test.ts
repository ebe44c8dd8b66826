/** The settings page by role: owners get the form with the values in force, viewers read them, admins are sent on. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPlatform, type TestPlatform } from '../../e2e/support/test-platform.ts';
import { loginForTest } from '../../e2e/support/test-sessions.ts';
import { createMemoryAssets } from '../../edge/adapters/assets/memory-assets.ts';
import { createApp } from '../../edge/app.ts';
import { createFleet, createUser } from '../../edge/domain/provisioning.ts';

const MANIFEST = { files: { 'main.js': '/assets/main-TEST1234.js', 'app.css': '/assets/app-TEST1234.css' } };
const PASSWORD = 'settings-page-pass-1';

describe('settings page', () => {
  let platform: TestPlatform;
  let app: ReturnType<typeof createApp>;

  const settingsAs = async (email: string) => {
    // loginForTest also passes an admin's TOTP step.
    const cookie = `tw_access=${await loginForTest(app, platform.clock, email, PASSWORD)}`;
    const res = await app.request('/settings?lang=en', { headers: { cookie } });
    expect(res.status).toBe(200);
    return res.text();
  };

  beforeAll(async () => {
    platform = await createTestPlatform();
    app = createApp(platform, { webAssets: createMemoryAssets({ 'manifest.json': JSON.stringify(MANIFEST), 'assets/main-TEST1234.js': 'export {}' }) });
    const deps = { db: platform.db.kysely, clock: platform.clock, ids: platform.ids };
    const fleet = await createFleet(deps, { name: 'Radio Taxi Sur', timezone: 'Europe/Madrid', locale: 'es', speedLimitKmh: 80 });
    await platform.db.kysely.updateTable('fleets').set({ telemetry: JSON.stringify({ harsh_braking_ms2: 4.5 }) }).where('id', '=', fleet.id).execute();
    await createUser(deps, { fleetId: fleet.id, email: 'owner@settings.test', password: PASSWORD, role: 'owner' });
    await createUser(deps, { fleetId: fleet.id, email: 'viewer@settings.test', password: PASSWORD, role: 'viewer' });
    await createUser(deps, { fleetId: null, email: 'admin@settings.test', password: PASSWORD, role: 'admin' });
  });
  afterAll(() => platform.close());

  it('gives owners the form, filled with the values in force (overrides and defaults)', async () => {
    const html = await settingsAs('owner@settings.test');
    expect(html).toContain('data-island="fleet-settings"');
    expect(html).toMatch(/id="settings-speed-limit"[^>]*value="80"/);
    // The driver view is opt-in: off until an owner ticks it.
    expect(html).toMatch(/<input id="settings-drivers-see-own-score"[^>]*type="checkbox"/);
    expect(html).not.toMatch(/id="settings-drivers-see-own-score"[^>]*checked/);
    expect(html).toMatch(/id="settings-harsh_braking_ms2"[^>]*value="4.5"/);
    expect(html).toMatch(/id="settings-harsh_acceleration_ms2"[^>]*value="3"/);
    // The timezone is picked from the IANA list, the fleet's own selected.
    expect(html).toMatch(/<select id="settings-timezone"[^>]*>/);
    expect(html).toContain('<option value="Europe/Madrid" selected>Europe/Madrid</option>');
    expect(html).toContain('<option value="America/Chicago">America/Chicago</option>');
    expect(html).toContain('<option value="America/Los_Angeles">America/Los Angeles</option>');
    // Numbers as the reader writes them.
    const es = await (await app.request('/settings?lang=es', { headers: { cookie: `tw_access=${await loginForTest(app, platform.clock, 'owner@settings.test', PASSWORD)}` } })).text();
    expect(es).toMatch(/id="settings-harsh_braking_ms2"[^>]*value="4,5"/);
    // And the fleet's people, to add and remove viewers.
    expect(html).toContain('data-island="team-members"');
    expect(html).toContain('viewer@settings.test');
  });

  it('shows viewers the settings read-only, and admins where fleets are managed', async () => {
    const viewer = await settingsAs('viewer@settings.test');
    expect(viewer).not.toContain('data-island="fleet-settings"');
    expect(viewer).not.toContain('data-island="team-members"');
    expect(viewer).toContain('<dt>Harsh braking from (m/s²)</dt><dd>4.5</dd>');
    const admin = await settingsAs('admin@settings.test');
    expect(admin).toContain('href="/admin/fleets"');
  });
});
