/** The /reports page: owners get the request form and their reports with open/download links; viewers only the list. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPlatform, type TestPlatform } from '../../e2e/support/test-platform.ts';
import { loginForTest } from '../../e2e/support/test-sessions.ts';
import { createMemoryAssets } from '../../edge/adapters/assets/memory-assets.ts';
import { createApp } from '../../edge/app.ts';
import { createFleet, createUser, createVehicle } from '../../edge/domain/provisioning.ts';

const MANIFEST = { files: { 'main.js': '/assets/main-TEST1234.js', 'app.css': '/assets/app-TEST1234.css' } };
const PASSWORD = 'reports-page-pass-1';

describe('reports page', () => {
  let platform: TestPlatform;
  let app: ReturnType<typeof createApp>;
  const pageAs = async (path: string, email: string) => {
    const cookie = `tw_access=${await loginForTest(app, platform.clock, email, PASSWORD)}`;
    const res = await app.request(path, { headers: { cookie } });
    expect(res.status).toBe(200);
    return res.text();
  };

  beforeAll(async () => {
    platform = await createTestPlatform();
    app = createApp(platform, { webAssets: createMemoryAssets({ 'manifest.json': JSON.stringify(MANIFEST), 'assets/main-TEST1234.js': 'export {}' }) });
    const deps = { db: platform.db.kysely, clock: platform.clock, ids: platform.ids };
    const fleet = await createFleet(deps, { name: 'Radio Taxi Sur', timezone: 'Europe/Madrid', locale: 'es' });
    await createVehicle(deps, { fleetId: fleet.id, plate: '1234-ABC' });
    await createUser(deps, { fleetId: fleet.id, email: 'owner@reports.test', password: PASSWORD, role: 'owner' });
    await createUser(deps, { fleetId: fleet.id, email: 'viewer@reports.test', password: PASSWORD, role: 'viewer' });
    const now = new Date(platform.clock.now());
    await platform.db.kysely.insertInto('reports').values({ id: 'report-1', fleet_id: fleet.id, kind: 'daily', format: 'pdf', status: 'ready', from_day: '2026-05-31', to_day: '2026-05-31', vehicle_id: null, driver_id: null, language: 'es', requested_by: null, blob_key: 'reports/x/report-1/taxiwatch-daily-2026-05-31.pdf', size_bytes: 10, pages: 3, error: null, created_at: now, updated_at: now, ready_at: now }).execute();
  });
  afterAll(() => platform.close());

  it('lists the reports with links that sign a fresh download, and the request form for owners', async () => {
    const html = await pageAs('/reports', 'owner@reports.test');
    expect(html).toContain('data-island="reports-panel"');
    expect(html).toContain('Informe diario 2026-05-31');
    expect(html).toContain('href="/api/v1/reports/report-1/file"');
    expect(html).toContain('3 páginas');
    expect(html).toContain('<option value="xlsx">Libro de Excel</option>');
    expect(html).toMatch(/id="report-to"[^>]*max="2026-06-01"/);
    expect(html).not.toContain('Informes: coming later');
  });

  it('shows viewers the list without the form or the regenerate button', async () => {
    const html = await pageAs('/reports?lang=en', 'viewer@reports.test');
    expect(html).toContain('Daily report 2026-05-31');
    expect(html).not.toContain('class="card report-request"');
    expect(html).not.toContain('>Make again<');
  });

  it('lets owners set how long data is kept on the settings page', async () => {
    const html = await pageAs('/settings?lang=en', 'owner@reports.test');
    expect(html).toMatch(/id="settings-frames_days"[^>]*value="7"/);
    expect(html).toMatch(/id="settings-fixes_days"[^>]*value="365"/);
  });
});
