/**
 * Telemetry incidents speak the fleet's language: the same drive sent to a Spanish and an English fleet through
 * the ingest API gives the same incidents, described (and alerted) in Spanish and in English, numbers kept.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestPlatform, type TestPlatform } from '../../../e2e/support/test-platform.ts';
import { postgresAvailable } from '../../../e2e/support/test-databases.ts';
import { createApp } from '../../app.ts';
import { createDevice, createFleet, createVehicle } from '../provisioning.ts';
import { drive } from './telemetry-test-drive.ts';
import type { TelemetryFix } from './telemetry-types.ts';
import { harshText, idlingText, speedingText } from './rules/telemetry-text.ts';
import { alertMessage, incidentLabel } from '../incidents/incident-labels.ts';

// A hard start, sustained speeding in a 50 km/h fleet, a hard stop and a long wait inside the trip.
const DRIVE = drive([{ kmh: 45, seconds: 4 }, { kmh: 75, seconds: 20 }, { kmh: 75, seconds: 60 }, { kmh: 0, seconds: 4 }, { kmh: 0, seconds: 7 * 60 }, { kmh: 30, seconds: 10 }], {
  startAt: Date.parse('2026-06-01T07:00:00Z'),
});
const asJson = (f: TelemetryFix) => ({ latitude: f.lat, longitude: f.lon, speed: f.speedKmh ?? undefined, accuracy: f.accuracyM ?? undefined, timestamp: new Date(f.at).toISOString() });

describe('telemetry texts', () => {
  it('keep the numbers and write decimals the language’s way', () => {
    expect(harshText('en', 'HARSH_BRAKING', 54, 21, 1, 9.17)).toBe('Braked from 54 to 21 km/h in 1.0 s (9.2 m/s²)');
    expect(harshText('es', 'HARSH_BRAKING', 54, 21, 1, 9.17)).toBe('Frenó de 54 a 21 km/h en 1,0 s (9,2 m/s²)');
    expect(harshText('es', 'HARSH_ACCELERATION', 0.4, 30.2, 2.04, 4.1)).toBe('Aceleró de 0 a 30 km/h en 2,0 s (4,1 m/s²)');
    expect(speedingText('es', 74.6, 50, 61.2)).toBe('75 km/h con un límite de flota de 50 km/h durante 61 s');
    expect(idlingText('en', 6.6)).toBe('Stopped with the engine presumably on for 7 min during a trip');
  });

  it('label alerts in the fleet’s language and humanise types they do not know', () => {
    expect(alertMessage('HARSH_BRAKING', '1234-ABC', 'Frenó de 54 a 21 km/h', 'es')).toBe('Frenada brusca — 1234-ABC: Frenó de 54 a 21 km/h');
    expect(alertMessage('PHONE_USAGE', '1234-ABC', '', 'en')).toBe('Phone use — 1234-ABC');
    expect(incidentLabel('LANE_DEPARTURE', 'es')).toBe('Lane departure');
  });
});

const databases = [{ name: 'pglite' as const, available: true }, { name: 'postgres' as const, available: await postgresAvailable() }];

for (const database of databases) {
  describe.skipIf(!database.available)(`telemetry incidents in the fleet’s language on ${database.name}`, () => {
    let platform: TestPlatform;
    let app: ReturnType<typeof createApp>;

    beforeEach(async () => {
      platform = await createTestPlatform({ INCIDENT_MERGE_WINDOW_MINUTES: '0' }, { database: database.name });
      app = createApp(platform);
    });
    afterEach(() => platform.close());

    const driveIn = async (locale: 'es' | 'en', plate: string) => {
      const deps = { db: platform.db.kysely, clock: platform.clock, ids: platform.ids };
      const fleetId = (await createFleet(deps, { name: `Fleet ${locale}`, locale, speedLimitKmh: 50 })).id;
      const vehicleId = (await createVehicle(deps, { fleetId, plate })).id;
      const { key } = await createDevice(deps, { vehicleId });
      for (let i = 0; i < DRIVE.length; i += 100) {
        const fixes = DRIVE.slice(i, i + 100).map(asJson);
        const res = await app.request('/api/v1/tracking/location', { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify({ fixes }) });
        expect(res.status).toBe(202);
      }
      const db = platform.db.kysely;
      const incidents = await db.selectFrom('incidents').select(['id', 'type', 'description']).where('vehicle_id', '=', vehicleId).orderBy('occurred_at').orderBy('type').execute();
      const alerts = await db.selectFrom('alerts').select(['incident_id', 'message']).where('vehicle_id', '=', vehicleId).execute();
      const messageOf = new Map(alerts.map((a) => [a.incident_id, a.message]));
      return incidents.map((i) => ({ type: i.type, description: i.description, message: messageOf.get(i.id) }));
    };

    it('writes descriptions and alert messages in Spanish for a Spanish fleet and in English for an English one', async () => {
      const es = await driveIn('es', 'ES-1');
      const en = await driveIn('en', 'EN-1');
      expect(es.map((i) => i.type)).toEqual(['HARSH_ACCELERATION', 'SPEEDING', 'HARSH_BRAKING', 'IDLING']);
      expect(en.map((i) => i.type)).toEqual(es.map((i) => i.type));

      const [esStart, esSpeeding, esStop, esIdle] = es;
      expect(esStart.description).toMatch(/^Aceleró de \d+ a \d+ km\/h en \d+,\d s \(\d+,\d m\/s²\)$/);
      expect(esStart.message).toBe(`Aceleración brusca — ES-1: ${esStart.description}`);
      expect(esSpeeding.description).toMatch(/^\d+ km\/h con un límite de flota de 50 km\/h durante \d+ s$/);
      expect(esSpeeding.message).toBe(`Exceso de velocidad — ES-1: ${esSpeeding.description}`);
      expect(esStop.description).toMatch(/^Frenó de \d+ a \d+ km\/h en \d+,\d s \(\d+,\d m\/s²\)$/);
      expect(esStop.message).toBe(`Frenada brusca — ES-1: ${esStop.description}`);
      expect(esIdle.description).toMatch(/^Parado con el motor presumiblemente en marcha durante \d+ min en un viaje$/);
      expect(esIdle.message).toMatch(/^Ralentí prolongado — ES-1: /);

      const [enStart, enSpeeding, enStop, enIdle] = en;
      expect(enStart.description).toMatch(/^Accelerated from \d+ to \d+ km\/h in \d+\.\d s \(\d+\.\d m\/s²\)$/);
      expect(enStart.message).toBe(`Harsh acceleration — EN-1: ${enStart.description}`);
      expect(enSpeeding.message).toMatch(/^Speeding — EN-1: \d+ km\/h in a 50 km\/h fleet limit for \d+ s$/);
      expect(enStop.message).toMatch(/^Harsh braking — EN-1: Braked from \d+ to \d+ km\/h/);
      expect(enIdle.message).toMatch(/^Long idling — EN-1: Stopped with the engine presumably on for \d+ min during a trip$/);
      // The same figures in both languages: only the words and the decimal separator differ.
      const figures = (text: string | null | undefined) => (text ?? '').match(/\d+(?:[.,]\d)?/g)?.map((n) => n.replace(',', '.'));
      expect(es.map((i) => figures(i.description))).toEqual(en.map((i) => figures(i.description)));
    });
  });
}
