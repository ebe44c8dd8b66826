/** The public share route is outside /api/v1, so it brings its own rate limit: tokens are unguessable, cost is not free. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPlatform, type TestPlatform } from '../../e2e/support/test-platform.ts';
import { createApp } from '../app.ts';
import { createShareLink } from '../domain/evidence/share-links.ts';
import { createFleet, createVehicle } from '../domain/provisioning.ts';

describe('share links under load', () => {
  let platform: TestPlatform;
  let path: string;

  beforeAll(async () => {
    platform = await createTestPlatform({ RATE_LIMIT_PER_IP_PER_MINUTE: '3' });
    const deps = { db: platform.db.kysely, clock: platform.clock, ids: platform.ids };
    const fleetId = (await createFleet(deps, { name: 'Limits' })).id;
    const vehicleId = (await createVehicle(deps, { fleetId, plate: 'L-1' })).id;
    const now = new Date(platform.clock.now());
    await deps.db
      .insertInto('incidents')
      .values({ id: 'inc-l', fleet_id: fleetId, vehicle_id: vehicleId, driver_id: null, trip_id: null, frame_id: null, type: 'PHONE_USAGE', severity: 'HIGH', confidence: 0.9, source: 'vision', latitude: null, longitude: null, occurred_at: now, last_seen_at: now, status_changed_by: null, status_changed_at: null, status_reason: null, created_at: now })
      .execute();
    const link = await createShareLink(deps, { incidentId: 'inc-l', fleetId, createdBy: null, expiresInMinutes: 60, baseUrl: 'http://localhost' });
    path = new URL(link.url).pathname;
  });
  afterAll(() => platform.close());

  it('answers 429 with Retry-After past the per-address budget, valid token or not', async () => {
    const app = createApp(platform);
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await app.request(path)).status);
    expect(statuses).toEqual([200, 200, 200]);
    const limited = await app.request(path);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toMatch(/^\d+$/);
    expect((await app.request('/share/incidents/made-up')).status).toBe(429);
    const views = await platform.db.kysely.selectFrom('incident_share_links').select('views').executeTakeFirstOrThrow();
    expect(views.views).toBe(3);
  });
});
