/**
 * Incident types, severities, statuses and sources read in the page's language on every page that shows them,
 * with real telemetry incidents (a drive sent through the ingest API to a Spanish fleet); descriptions and alert
 * messages stay in the fleet's language, as the server wrote them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPlatform, type TestPlatform } from '../../e2e/support/test-platform.ts';
import { createApp } from '../../edge/app.ts';
import { createDevice, createFleet, createUser, createVehicle } from '../../edge/domain/provisioning.ts';
import { drive } from '../../edge/domain/telemetry/telemetry-test-drive.ts';

const PASSWORD = 'web-labels-pass-123';
// A hard start, speeding in a 50 km/h fleet and a hard stop, within one trip.
const DRIVE = drive([{ kmh: 45, seconds: 4 }, { kmh: 75, seconds: 20 }, { kmh: 75, seconds: 60 }, { kmh: 0, seconds: 4 }, { kmh: 0, seconds: 60 }], { startAt: Date.parse('2026-06-01T07:00:00Z') });

describe('translated labels on the web pages', () => {
  let platform: TestPlatform;
  let app: ReturnType<typeof createApp>;
  let cookie: string;
  let braking: string;
  let tripId: string;

  const html = async (path: string, lang: 'es' | 'en') => {
    const res = await app.request(path, { headers: { cookie: `${cookie}; tw_lang=${lang}` } });
    expect(res.status).toBe(200);
    return res.text();
  };

  beforeAll(async () => {
    platform = await createTestPlatform({ INCIDENT_MERGE_WINDOW_MINUTES: '0' });
    app = createApp(platform);
    const deps = { db: platform.db.kysely, clock: platform.clock, ids: platform.ids };
    const fleet = await createFleet(deps, { name: 'Taxis Sol', timezone: 'Europe/Madrid', locale: 'es', speedLimitKmh: 50 });
    await createUser(deps, { fleetId: fleet.id, email: 'owner@labels.test', password: PASSWORD, role: 'owner' });
    const vehicle = await createVehicle(deps, { fleetId: fleet.id, plate: '1234ABC' });
    const { key } = await createDevice(deps, { vehicleId: vehicle.id });
    for (let i = 0; i < DRIVE.length; i += 100) {
      const fixes = DRIVE.slice(i, i + 100).map((f) => ({ latitude: f.lat, longitude: f.lon, speed: f.speedKmh ?? undefined, accuracy: f.accuracyM ?? undefined, timestamp: new Date(f.at).toISOString() }));
      const res = await app.request('/api/v1/tracking/location', { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify({ fixes }) });
      expect(res.status).toBe(202);
    }
    const incidents = await platform.db.kysely.selectFrom('incidents').select(['id', 'type', 'trip_id']).where('vehicle_id', '=', vehicle.id).execute();
    expect(incidents.map((i) => i.type).sort()).toEqual(['HARSH_ACCELERATION', 'HARSH_BRAKING', 'SPEEDING']);
    braking = incidents.find((i) => i.type === 'HARSH_BRAKING')!.id;
    tripId = incidents[0].trip_id!;
    // A type this version of the app has no words for (a newer model's).
    await platform.db.kysely
      .insertInto('incidents')
      .values({ id: 'inc-new-type', fleet_id: fleet.id, vehicle_id: vehicle.id, driver_id: null, trip_id: null, frame_id: null, type: 'LANE_DEPARTURE', severity: 'LOW', confidence: 0.8, description: 'Cruzó la línea', source: 'vision', latitude: 40.4, longitude: -3.7, occurred_at: new Date('2026-06-01T06:00:00Z'), last_seen_at: new Date('2026-06-01T06:00:00Z'), status_changed_by: null, status_changed_at: null, status_reason: null, created_at: new Date('2026-06-01T06:00:00Z') })
      .execute();
    const login = await app.request('/api/v1/auth/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'owner@labels.test', password: PASSWORD }) });
    expect(login.status).toBe(200);
    cookie = login.headers.getSetCookie().map((c) => c.split(';')[0]).filter((c) => !c.startsWith('tw_refresh')).join('; ');
  });
  afterAll(() => platform.close());

  it('lists incidents with translated types, severities and statuses, and a translated type filter', async () => {
    const en = await html('/incidents', 'en');
    const es = await html('/incidents', 'es');
    for (const label of ['>Harsh acceleration</strong>', '>Harsh braking</strong>', '>Speeding</strong>', '>Lane departure</strong>', '>open</span>', '<option value="PHONE_USAGE">Phone use</option>']) expect(en).toContain(label);
    for (const label of ['>Aceleración brusca</strong>', '>Frenada brusca</strong>', '>Exceso de velocidad</strong>', '>Lane departure</strong>', '>abierto</span>', '<option value="PHONE_USAGE">Uso del móvil</option>']) expect(es).toContain(label);
    // The codes stay in attributes (links, filters) but are never shown as text.
    for (const page of [en, es]) expect(page).not.toMatch(/>\s*(HARSH_ACCELERATION|HARSH_BRAKING|SPEEDING|LANE_DEPARTURE)\s*</);
    expect(await html('/incidents?type=LANE_DEPARTURE', 'es')).toContain('<option value="LANE_DEPARTURE" selected>Lane departure</option>');
  });

  it('titles the incident page with the translated type and keeps the fleet’s description', async () => {
    const en = await html(`/incidents/${braking}`, 'en');
    const es = await html(`/incidents/${braking}`, 'es');
    expect(en).toContain('<title>Harsh braking · 1234ABC');
    expect(en).toContain('<dd>telemetry</dd>');
    expect(es).toContain('<title>Frenada brusca · 1234ABC');
    expect(es).toContain('<dd>telemetría</dd>');
    for (const page of [en, es]) expect(page).toMatch(/data-testid="incident-description"><span lang="es">Frenó de \d+ a \d+ km\/h en \d+,\d s \(\d+,\d m\/s²\)</);
    // In English the Spanish description says it is the fleet's text, not an untranslated one.
    expect(en).toContain('(Written in Spanish, the fleet’s language)');
    expect(es).not.toContain('class="fleet-language"');
  });

  it('labels alerts’ types and severities in the page’s language, with the descriptions in the fleet’s', async () => {
    const en = await html('/alerts', 'en');
    expect(en).toMatch(/<strong class="alert-type">Harsh braking<\/strong>: <span lang="es">Frenó de \d+ a \d+ km\/h/);
    expect(en).toMatch(/<strong class="alert-type">Speeding<\/strong>: <span lang="es">\d+ km\/h con un límite de flota de 50 km\/h/);
    expect(en).toContain('>Medium</span>');
    const es = await html('/alerts', 'es');
    expect(es).toMatch(/<strong class="alert-type">Frenada brusca<\/strong>: <span lang="es">Frenó de/);
    expect(es).toContain('>Media</span>');
  });

  it('gives API clients each alert’s incident type and description beside the message written in the fleet’s language', async () => {
    const res = await app.request('/api/v1/alerts?limit=10', { headers: { cookie } });
    const { data } = (await res.json()) as { data: Array<{ incident_id: string; message: string; incident_type: string; incident_description: string }> };
    const alert = data.find((a) => a.incident_id === braking)!;
    expect(alert.incident_type).toBe('HARSH_BRAKING');
    expect(alert.message).toBe(`Frenada brusca — 1234ABC: ${alert.incident_description}`);
    const one = await (await app.request(`/api/v1/alerts/${(alert as unknown as { id: string }).id}`, { headers: { cookie } })).json();
    expect(one).toMatchObject({ incident_type: 'HARSH_BRAKING', incident_description: alert.incident_description });
  });

  it('marks the trip replay’s incidents with translated types', async () => {
    const en = await html(`/trips/${tripId}`, 'en');
    const es = await html(`/trips/${tripId}`, 'es');
    expect(en).toContain('>Harsh acceleration</a>');
    expect(es).toContain('>Aceleración brusca</a>');
    expect(es).not.toMatch(/>HARSH_[A-Z]+</);
  });
});
