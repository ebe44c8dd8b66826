/**
 * Telemetry incidents under the merge rule, through the real ingest route: detections of one type within the window
 * share an incident (one alert, then incident_updated), and the pipeline's guarantees still hold — replaying a drive
 * changes nothing, a late backlog gives what the live drive gave, and a recomputation that no longer supports a
 * detection withdraws just that occurrence.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestPlatform, type TestPlatform } from '../../../e2e/support/test-platform.ts';
import { jobHandlers } from '../../../jobs/index.ts';
import { createApp } from '../../app.ts';
import type { LiveEvent } from '../../ports/bus.ts';
import { createDevice, createFleet, createVehicle } from '../provisioning.ts';
import { drive } from '../telemetry/telemetry-test-drive.ts';
import type { TelemetryFix } from '../telemetry/telemetry-types.ts';

// Hard start, speeding, a hard stop, a 7-minute wait, a second leg, a 12-minute wait: two idling episodes 8 min apart.
const DAY = drive(
  [{ kmh: 45, seconds: 4 }, { kmh: 75, seconds: 20 }, { kmh: 75, seconds: 60 }, { kmh: 0, seconds: 4 }, { kmh: 0, seconds: 7 * 60 }, { kmh: 30, seconds: 10 }, { kmh: 30, seconds: 60 }, { kmh: 0, seconds: 10 }, { kmh: 0, seconds: 12 * 60 }],
  { startAt: Date.parse('2026-06-01T07:00:00Z') },
);
const asJson = (f: TelemetryFix) => ({ latitude: f.lat, longitude: f.lon, speed: f.speedKmh ?? undefined, accuracy: f.accuracyM ?? undefined, timestamp: new Date(f.at).toISOString() });
const batches = <T>(items: T[], size: number) => Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size));

describe('telemetry incidents merged within the window', () => {
  let platform: TestPlatform;
  let app: ReturnType<typeof createApp>;
  let fleetId: string;
  let events: LiveEvent[];

  beforeEach(async () => {
    platform = await createTestPlatform(); // the default 10-minute window
    app = createApp(platform);
    fleetId = (await createFleet({ db: platform.db.kysely, clock: platform.clock, ids: platform.ids }, { name: 'Merge telemetry', speedLimitKmh: 50 })).id;
    events = [];
    await platform.bus.subscribe(fleetId, (e) => events.push(e));
  });
  afterEach(() => platform.close());

  const newTaxi = async (plate: string) => {
    const deps = { db: platform.db.kysely, clock: platform.clock, ids: platform.ids };
    const vehicleId = (await createVehicle(deps, { fleetId, plate })).id;
    const { key } = await createDevice(deps, { vehicleId });
    const send = async (fixes: TelemetryFix[]) => {
      const res = await app.request('/api/v1/tracking/location', { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify({ fixes: fixes.map(asJson) }) });
      expect(res.status).toBe(202);
    };
    return { vehicleId, send };
  };
  const outcome = async (vehicleId: string) => {
    const db = platform.db.kysely;
    const incidents = await db.selectFrom('incidents').select(['type', 'severity', 'occurred_at', 'last_seen_at', 'occurrences']).where('vehicle_id', '=', vehicleId).orderBy('occurred_at').execute();
    const occurrences = await db.selectFrom('incident_occurrences').select(['type', 'occurred_at']).where('vehicle_id', '=', vehicleId).orderBy('occurred_at').execute();
    const alerts = await db.selectFrom('alerts').select((eb) => eb.fn.countAll<number>().as('n')).where('vehicle_id', '=', vehicleId).executeTakeFirstOrThrow();
    const iso = (d: Date) => d.toISOString();
    return {
      incidents: incidents.map((i) => ({ ...i, occurred_at: iso(i.occurred_at), last_seen_at: iso(i.last_seen_at) })),
      occurrences: occurrences.map((o) => `${o.type}@${iso(o.occurred_at)}`),
      alerts: Number(alerts.n),
    };
  };

  it('two idling episodes 8 minutes apart are one incident with two occurrences, one alert and one incident_updated', async () => {
    const taxi = await newTaxi('TM-1');
    for (const batch of batches(DAY, 10)) await taxi.send(batch);
    const result = await outcome(taxi.vehicleId);
    expect(result.incidents.map((i) => [i.type, i.occurrences])).toEqual([['HARSH_ACCELERATION', 1], ['SPEEDING', 1], ['HARSH_BRAKING', 1], ['IDLING', 2]]);
    expect(result.occurrences.filter((o) => o.startsWith('IDLING'))).toHaveLength(2);
    const idling = result.incidents.find((i) => i.type === 'IDLING')!;
    expect(Date.parse(idling.last_seen_at) - Date.parse(idling.occurred_at)).toBeGreaterThan(5 * 60_000);
    expect(result.alerts).toBe(4);
    expect(events.filter((e) => e.type === 'new_alert').map((e) => (e.data as { type: string }).type)).toEqual(['HARSH_ACCELERATION', 'SPEEDING', 'HARSH_BRAKING', 'IDLING']);
    const updates = events.filter((e) => e.type === 'incident_updated').map((e) => e.data);
    expect(updates).toEqual([expect.objectContaining({ type: 'IDLING', source: 'telemetry', change: 'merged', occurrences: 2 })]);
  });

  it('replaying the drive changes nothing, and a late backlog gives what the live drive gave', async () => {
    const live = await newTaxi('TM-2');
    for (const batch of batches(DAY, 10)) await live.send(batch);
    const expected = await outcome(live.vehicleId);
    for (const batch of batches(DAY, 50)) await live.send(batch);
    expect(await outcome(live.vehicleId)).toEqual(expected);

    const late = await newTaxi('TM-3');
    const gapStart = DAY.findIndex((f) => f.at >= Date.parse('2026-06-01T07:01:00Z'));
    const gapEnd = DAY.findIndex((f) => f.at >= Date.parse('2026-06-01T07:12:00Z'));
    for (const batch of batches([...DAY.slice(0, gapStart), ...DAY.slice(gapEnd)], 10)) await late.send(batch);
    for (const batch of batches(DAY.slice(gapStart, gapEnd), 500)) await late.send(batch);
    expect(await outcome(late.vehicleId)).toEqual(expected);
  });

  it('a recomputation that no longer supports one occurrence narrows the incident; with none left the incident is withdrawn', async () => {
    const taxi = await newTaxi('TM-4');
    for (const batch of batches(DAY, 100)) await taxi.send(batch);
    const recompute = async (telemetry: Record<string, number>) => {
      await platform.db.kysely.updateTable('fleets').set({ telemetry: JSON.stringify(telemetry) }).where('id', '=', fleetId).execute();
      await platform.queue.enqueue('recompute-telemetry', { vehicleId: taxi.vehicleId, from: new Date(DAY[0]!.at).toISOString() });
      platform.queue.setHandlers(jobHandlers(platform));
      await platform.queue.runDue();
    };
    await recompute({ idle_minutes: 8 }); // the 7-minute wait is no longer idling; the 12-minute one still is
    const narrowed = (await outcome(taxi.vehicleId)).incidents.find((i) => i.type === 'IDLING')!;
    expect(narrowed.occurrences).toBe(1);
    expect(narrowed.occurred_at).toBe(narrowed.last_seen_at);
    expect(Date.parse(narrowed.occurred_at)).toBeGreaterThan(Date.parse('2026-06-01T07:09:00Z'));

    await recompute({ idle_minutes: 15 });
    expect((await outcome(taxi.vehicleId)).incidents.map((i) => i.type)).toEqual(['HARSH_ACCELERATION', 'SPEEDING', 'HARSH_BRAKING']);
    expect(events.some((e) => e.type === 'incident_updated' && (e.data as { status: string }).status === 'withdrawn')).toBe(true);
  });
});
