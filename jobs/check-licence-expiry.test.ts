/**
 * The licence check on PGlite and Postgres, with a controlled clock: each step (30 days, 7 days, expired) raised once
 * per driver and expiry date, from 08:00 of each fleet's own day, in its language, on the live feed and in the API.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPlatform, type TestPlatform } from '../e2e/support/test-platform.ts';
import { postgresAvailable } from '../e2e/support/test-databases.ts';
import { loginForTest } from '../e2e/support/test-sessions.ts';
import { createApp } from '../edge/app.ts';
import { assignDriver } from '../edge/domain/driver-assignments.ts';
import { createDriver, createFleet, createUser, createVehicle } from '../edge/domain/provisioning.ts';
import type { LiveEvent } from '../edge/ports/bus.ts';
import { checkLicenceExpiry } from './check-licence-expiry.ts';

const backends = [{ database: 'pglite' as const, up: true }, { database: 'postgres' as const, up: await postgresAvailable() }];
const context = { attempt: 1 } as Parameters<typeof checkLicenceExpiry>[2];
type Alert = { driver_name: string; level: string; severity: string; message: string; vehicle_id: string | null; plate: string | null; source: string; incident_id: null };

describe.each(backends)('check-licence-expiry on $database', ({ database, up }) => {
  let platform: TestPlatform;
  const ids: Record<string, string> = {};
  const events: LiveEvent[] = [];
  const run = async (at: string) => {
    platform.clock.set(at);
    const before = events.length;
    await checkLicenceExpiry(platform, null, context);
    return events.slice(before).map((e) => e.data as Alert);
  };
  const summary = (alerts: Alert[]) => alerts.map((a) => [a.driver_name, a.level, a.severity]);

  beforeAll(async () => {
    if (!up) return;
    platform = await createTestPlatform({}, { database });
    const deps = { db: platform.db.kysely, clock: platform.clock, ids: platform.ids };
    ids.madrid = (await createFleet(deps, { name: 'Madrid', timezone: 'Europe/Madrid', locale: 'es' })).id;
    ids.lima = (await createFleet(deps, { name: 'Lima', timezone: 'America/Lima', locale: 'en' })).id;
    ids.taxi = (await createVehicle(deps, { fleetId: ids.madrid, plate: '9012 FGH' })).id;
    ids.ana = (await createDriver(deps, { fleetId: ids.madrid, name: 'Ana', licenceExpiresOn: '2026-06-20' })).id;
    ids.bea = (await createDriver(deps, { fleetId: ids.madrid, name: 'Bea', licenceExpiresOn: '2026-06-04' })).id;
    ids.olga = (await createDriver(deps, { fleetId: ids.madrid, name: 'Olga', licenceExpiresOn: '2026-05-20' })).id;
    await createDriver(deps, { fleetId: ids.madrid, name: 'Valeria', licenceExpiresOn: '2027-01-01' });
    await createDriver(deps, { fleetId: ids.lima, name: 'Luis', licenceExpiresOn: '2026-06-30' });
    await assignDriver(deps, { fleetId: ids.madrid, vehicleId: ids.taxi, driverId: ids.bea, assignedBy: null });
    await createUser(deps, { fleetId: ids.madrid, email: 'owner@licences.test', password: 'licences-pass-1', role: 'owner' });
    await platform.bus.subscribe('*', (e) => e.type === 'new_alert' && events.push(e));
  });
  afterAll(() => platform?.close());

  it.skipIf(!up)('waits for 08:00 in each fleet, then raises each due step once, with the taxi the driver drives', async () => {
    // 05:00 UTC: 07:00 in Madrid, midnight in Lima — too early for both.
    expect(await run('2026-06-01T05:00:00Z')).toEqual([]);
    // 06:30 UTC: 08:30 in Madrid.
    const madrid = await run('2026-06-01T06:30:00Z');
    expect(summary(madrid)).toEqual([
      ['Olga', 'expired', 'HIGH'],
      ['Bea', 'expires_within_7_days', 'MEDIUM'],
      ['Ana', 'expires_within_30_days', 'LOW'],
    ]);
    const bea = madrid[1];
    expect(bea).toMatchObject({ source: 'licence', incident_id: null, vehicle_id: ids.taxi, plate: '9012 FGH' });
    expect(bea.message).toBe('La licencia caduca pronto — Bea: el permiso de conducir caduca el 4 de junio de 2026 (en 3 días). Conduce 9012 FGH.');
    expect(await run('2026-06-01T07:30:00Z')).toEqual([]); // the next hour: nothing twice

    // 13:05 UTC: 08:05 in Lima.
    const lima = await run('2026-06-01T13:05:00Z');
    expect(summary(lima)).toEqual([['Luis', 'expires_within_30_days', 'LOW']]);
    expect(lima[0].message).toBe('Licence expires soon — Luis: the driving licence expires on 30 June 2026 (in 29 days).');
  });

  it.skipIf(!up)('raises the next step when it comes, and starts afresh for a renewed licence', async () => {
    // Two weeks on, in Madrid's morning: Ana is within 7 days, Bea's has expired; Olga's expiry was already told.
    expect(summary(await run('2026-06-15T07:00:00Z'))).toEqual([
      ['Bea', 'expired', 'HIGH'],
      ['Ana', 'expires_within_7_days', 'MEDIUM'],
    ]);
    // Olga renews — but only until the 19th: that new date is within 7 days, so she gets a new alert.
    await platform.db.kysely.updateTable('drivers').set({ licence_expires_on: '2026-06-19' }).where('id', '=', ids.olga).execute();
    expect(summary(await run('2026-06-15T08:00:00Z'))).toEqual([['Olga', 'expires_within_7_days', 'MEDIUM']]);
    expect(await run('2026-06-15T09:00:00Z')).toEqual([]);
  });

  it.skipIf(!up)("shows the alerts in the fleet's alert list, without an incident", async () => {
    const app = createApp(platform);
    const token = await loginForTest(app, platform.clock, 'owner@licences.test', 'licences-pass-1');
    const res = await app.request('/api/v1/alerts?limit=100', { headers: { authorization: `Bearer ${token}` } });
    const alerts = (await res.json()).data as Array<{ incident_id: string | null; severity: string; message: string }>;
    expect(alerts).toHaveLength(6); // Madrid's alerts only
    expect(alerts.every((a) => a.incident_id === null)).toBe(true);
    expect(alerts[0].message).toMatch(/^La licencia caduca pronto — Olga/);
  });
});
