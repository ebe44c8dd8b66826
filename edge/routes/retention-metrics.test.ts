/** What retention deleted shows in /metrics, in GET /api/v1/admin/system and on the admin console's health page. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseExposition } from '../../e2e/support/prometheus-text.ts';
import { createTestPlatform, type TestPlatform } from '../../e2e/support/test-platform.ts';
import { loginForTest } from '../../e2e/support/test-sessions.ts';
import { retentionJob } from '../../jobs/retention/retention-job.ts';
import { createApp } from '../app.ts';
import { createFleet, createUser, createVehicle } from '../domain/provisioning.ts';

const METRICS_TOKEN = 'scrape-token-0123456789abcdef';

describe('retention figures', () => {
  let platform: TestPlatform;
  let app: ReturnType<typeof createApp>;
  let admin: string;

  beforeAll(async () => {
    platform = await createTestPlatform({ METRICS_TOKEN });
    app = createApp(platform);
    const deps = { db: platform.db.kysely, clock: platform.clock, ids: platform.ids };
    const fleetId = (await createFleet(deps, { name: 'Retention' })).id;
    const vehicleId = (await createVehicle(deps, { fleetId, plate: 'R-1' })).id;
    await createUser(deps, { fleetId: null, email: 'admin@retention.test', password: 'retention-pass-1', role: 'admin' });
    admin = await loginForTest(app, platform.clock, 'admin@retention.test', 'retention-pass-1');
    const old = new Date(platform.clock.now() - 10 * 86_400_000);
    for (let i = 0; i < 3; i++) {
      await platform.blobs.put(`frames/r/${i}.jpg`, new Uint8Array([1]));
      await platform.db.kysely.insertInto('frames').values({ id: `f${i}`, fleet_id: fleetId, vehicle_id: vehicleId, device_id: null, blob_key: `frames/r/${i}.jpg`, captured_at: new Date(old.getTime() + i * 1000), received_at: old, size_bytes: 1, width: null, height: null }).execute();
    }
    await retentionJob('frames')(platform, { fleetId, day: '2026-06-01' }, { jobId: 'test', attempt: 1 });
  });
  afterAll(() => platform.close());

  it('counts the deleted rows per kind, the same in /metrics, the admin API and the admin page', async () => {
    const metrics = parseExposition(await (await app.request('/metrics', { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })).text());
    expect(metrics.value('taxiwatch_retention_deleted_rows', { kind: 'frames', window: 'total' })).toBe(3);
    expect(metrics.value('taxiwatch_retention_deleted_rows', { kind: 'frames', window: '24h' })).toBe(3);
    expect(metrics.value('taxiwatch_retention_deleted_rows', { kind: 'fixes', window: 'total' })).toBe(0);
    const system = await (await app.request('/api/v1/admin/system', { headers: { authorization: `Bearer ${admin}` } })).json();
    expect(system.retention.find((r: { kind: string }) => r.kind === 'frames')).toMatchObject({ deleted_24h: 3, deleted_7d: 3, deleted_total: 3, pending_runs: 0, last_finished_at: '2026-06-01T08:00:00.000Z' });
    const page = await (await app.request('/admin?lang=en', { headers: { cookie: `tw_access=${admin}` } })).text();
    expect(page).toMatch(/<tr data-retention="frames"[^>]*><th scope="row"[^>]*>Camera frames<\/th><td[^>]*>3<\/td><td[^>]*>3<\/td><td[^>]*>3<\/td>/);
  });
});
