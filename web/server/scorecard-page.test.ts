/**
 * /drivers/:id: the scorecard lists the driver's trips of the shown week (on the fleet's own midnights, linked to
 * their replay) and marks each coaching session on the trend chart with a labelled vertical line.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPlatform, type TestPlatform } from '../../e2e/support/test-platform.ts';
import { loginForTest } from '../../e2e/support/test-sessions.ts';
import { createMemoryAssets } from '../../edge/adapters/assets/memory-assets.ts';
import { createApp } from '../../edge/app.ts';
import { assignDriver } from '../../edge/domain/driver-assignments.ts';
import { createDriver, createFleet, createUser, createVehicle } from '../../edge/domain/provisioning.ts';
import { recordSession } from '../../edge/domain/scores/coaching.ts';

const MANIFEST = { files: { 'main.js': '/assets/main-TEST1234.js', 'app.css': '/assets/app-TEST1234.css' } };
const PASSWORD = 'scorecard-page-pass-1';

describe('scorecard page', () => {
  let platform: TestPlatform;
  let app: ReturnType<typeof createApp>;
  const ids: Record<string, string> = {};
  const scorecard = async (driverId: string, lang = 'en', who = 'owner') => {
    const cookie = `tw_access=${await loginForTest(app, platform.clock, `${who}@scorecard-page.test`, PASSWORD)}`;
    const res = await app.request(`/drivers/${driverId}?lang=${lang}`, { headers: { cookie } });
    expect(res.status).toBe(200);
    return res.text();
  };

  beforeAll(async () => {
    // The test clock stands at Monday 2026-06-01 08:00 UTC (10:00 in Madrid): the week began at 2026-05-31T22:00Z.
    platform = await createTestPlatform();
    app = createApp(platform, {
      webAssets: createMemoryAssets({
        'manifest.json': JSON.stringify(MANIFEST),
        'assets/main-TEST1234.js': 'export {}',
      }),
    });
    const deps = { db: platform.db.kysely, clock: platform.clock, ids: platform.ids };
    const db = platform.db.kysely;
    const fleetId = (ids.fleet = (await createFleet(deps, { name: 'Scorecard fleet', timezone: 'Europe/Madrid', locale: 'en' })).id);
    await createUser(deps, { fleetId, email: 'owner@scorecard-page.test', password: PASSWORD, role: 'owner' });
    await createUser(deps, { fleetId, email: 'viewer@scorecard-page.test', password: PASSWORD, role: 'viewer' });
    const taxiA = (await createVehicle(deps, { fleetId, plate: '1111AAA' })).id;
    const taxiB = (await createVehicle(deps, { fleetId, plate: '2222BBB' })).id;
    ids.ana = (await createDriver(deps, { fleetId, name: 'Ana Sol', licenceExpiresOn: '2030-01-01' })).id;
    ids.luis = (await createDriver(deps, { fleetId, name: 'Luis Gil', licenceExpiresOn: '2030-01-01' })).id;
    ids.eva = (await createDriver(deps, { fleetId, name: 'Eva Paz', licenceExpiresOn: '2030-01-01' })).id;
    const since = { db, ids: platform.ids, clock: { now: () => Date.parse('2026-05-01T00:00:00Z') } };
    await assignDriver(since, { fleetId, vehicleId: taxiA, driverId: ids.ana, assignedBy: null });
    await assignDriver(since, { fleetId, vehicleId: taxiB, driverId: ids.luis, assignedBy: null });
    const trip = (id: string, vehicleId: string, startedAt: string) => ({
      id,
      fleet_id: fleetId,
      vehicle_id: vehicleId,
      driver_id: null,
      started_at: new Date(startedAt),
      ended_at: new Date(Date.parse(startedAt) + 1800_000),
      distance_m: 12_300,
      duration_s: 1800,
    });
    await db
      .insertInto('trips')
      .values([
        trip('trip-monday-early', taxiA, '2026-05-31T23:00:00Z'), // 01:00 Monday in Madrid, still Sunday in UTC
        trip('trip-sunday-late', taxiA, '2026-05-31T21:30:00Z'), // 23:30 Sunday in Madrid: last week
        trip('trip-monday', taxiA, '2026-06-01T07:00:00Z'),
        trip('trip-of-luis', taxiB, '2026-06-01T07:10:00Z'),
      ])
      .execute();
    const session = (at: string) => ({
      fleetId,
      driverId: ids.ana,
      incidentIds: [],
      notes: '',
      agreedAction: 'Slow down',
      followUpOn: null,
      createdBy: null,
      requestKey: null,
      at,
    });
    for (const s of [
      session('2026-05-13T10:00:00Z'),
      session('2026-06-01T07:30:00Z'),
      session('2025-01-10T10:00:00Z'),
    ]) {
      await recordSession({ db, ids: platform.ids, clock: { now: () => Date.parse(s.at) } }, s);
    }
  });
  afterAll(() => platform.close());

  it("lists the driver's trips of the shown week, newest first, each linked to its replay", async () => {
    const html = await scorecard(ids.ana);
    expect(html).toContain('Trips this week');
    const trips = [...html.matchAll(/data-testid="scorecard-trip"[^>]*><a href="\/trips\/([^"]+)"/g)].map((m) => m[1]);
    expect(trips).toEqual(['trip-monday', 'trip-monday-early']);
    expect(html).toContain('12.3 km · 30 min');
    expect(html).not.toContain('trip-of-luis');
  });

  it("lists only that driver's own trips, and says so when there are none", async () => {
    const luis = await scorecard(ids.luis, 'es');
    expect(luis).toContain('Viajes de esta semana');
    expect(luis).toContain('href="/trips/trip-of-luis"');
    expect(luis).not.toContain('trip-monday');
    const eva = await scorecard(ids.eva);
    expect(eva).toContain('No trips this week.');
    expect(eva).not.toContain('score-chart-coaching');
  });

  it('marks each coaching session inside the chart with a labelled vertical line, and none outside it', async () => {
    const html = await scorecard(ids.ana);
    const chart = html.match(/<svg class="score-chart"[\s\S]*?<\/svg>/)![0];
    expect(chart).toContain('role="group"');
    const markers = [
      ...chart.matchAll(/<g class="score-chart-coaching" role="img" aria-label="([^"]+)" data-day="([^"]+)">/g),
    ];
    expect(markers.map((m) => [m[1], m[2]])).toEqual([
      ['Coaching session on 2026-06-01', '2026-06-01'],
      ['Coaching session on 2026-05-13', '2026-05-13'],
    ]);
    expect(chart).toContain('<title>Coaching session on 2026-06-01</title>');
    // The newest session sits on the newest week: the chart's right-most x (8 + 11 × 304 / 11 = 312).
    expect(chart).toMatch(/data-day="2026-06-01"><title>[^<]*<\/title><line x1="312" x2="312"/);
  });

  it('offers "Share with driver": a pointer to Settings while the fleet keeps scores private, the link card once on', async () => {
    const off = await scorecard(ids.ana);
    const card = off.match(/<section class="card driver-share"[\s\S]*?<\/section>/)![0];
    expect(card).toContain('Share with driver');
    expect(card).toContain('href="/settings#settings-drivers-see-own-score"');
    expect(off).not.toContain('data-island="driver-share-card"');
    expect(await scorecard(ids.ana, 'es')).toContain('Actívalo en Ajustes');

    const db = platform.db.kysely;
    await db.updateTable('fleets').set({ drivers_see_own_score: true }).where('id', '=', ids.fleet!).execute();
    try {
      const on = await scorecard(ids.ana);
      expect(on).toContain('data-island="driver-share-card"');
      expect(on).toContain('Create link');
      expect(on).not.toContain('href="/settings#settings-drivers-see-own-score"');
      // Only owners hand out links: a viewer sees neither the card nor the pointer to Settings.
      expect(await scorecard(ids.ana, 'en', 'viewer')).not.toContain('driver-share');
    } finally {
      await db.updateTable('fleets').set({ drivers_see_own_score: false }).where('id', '=', ids.fleet!).execute();
    }
  });
});
