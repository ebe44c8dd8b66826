/**
 * Two fleets with vehicles, people of every role, and helpers to place frames, fixes and incidents at exact
 * instants — what the evidence, share, review and statistics tests start from.
 */
import { createApp } from '../../edge/app.ts';
import type { IncidentsTable } from '../../edge/db/schema.ts';
import { createFleet, createUser, createVehicle } from '../../edge/domain/provisioning.ts';
import { createTestPlatform, type TestPlatform } from './test-platform.ts';
import { loginForTest } from './test-sessions.ts';

/** The test platform's clock starts here; every instant in these tests is an offset from it. */
export const T0 = Date.parse('2026-06-01T08:00:00Z');
export const at = (seconds: number) => new Date(T0 + seconds * 1000);

export interface IncidentReviewFixture {
  platform: TestPlatform;
  app: ReturnType<typeof createApp>;
  fleetA: string;
  fleetB: string;
  vehicleA1: string;
  vehicleA2: string;
  vehicleB: string;
  ownerAId: string;
  tokens: { ownerA: string; viewerA: string; ownerB: string; admin: string };
  call(token: string | null, method: string, path: string, body?: unknown): Promise<Response>;
  addFrame(input: { id: string; fleetId: string; vehicleId: string; at: Date; bytes?: Uint8Array; analysis?: unknown }): Promise<void>;
  addFix(input: { fleetId: string; vehicleId: string; at: Date; latitude: number; longitude: number; speedKmh?: number }): Promise<void>;
  addIncident(input: { id: string; fleetId: string; vehicleId: string; type?: string; occurredAt: Date; lastSeenAt?: Date; frameId?: string | null; status?: IncidentsTable['status']['__select__']; reasonCode?: IncidentsTable['status_reason_code']['__select__'] }): Promise<void>;
}

export async function createIncidentReviewFixture(options: { database?: 'pglite' | 'postgres' } = {}): Promise<IncidentReviewFixture> {
  const platform = await createTestPlatform({}, options);
  const app = createApp(platform);
  const db = platform.db.kysely;
  const deps = { db, clock: platform.clock, ids: platform.ids };
  const fleetA = (await createFleet(deps, { name: 'Fleet A' })).id;
  const fleetB = (await createFleet(deps, { name: 'Fleet B' })).id;
  const vehicleA1 = (await createVehicle(deps, { fleetId: fleetA, plate: 'A-001' })).id;
  const vehicleA2 = (await createVehicle(deps, { fleetId: fleetA, plate: 'A-002' })).id;
  const vehicleB = (await createVehicle(deps, { fleetId: fleetB, plate: 'B-001' })).id;
  const password = 'review-password-1';
  const ownerAId = (await createUser(deps, { fleetId: fleetA, email: 'owner@a.test', password, role: 'owner' })).id;
  await createUser(deps, { fleetId: fleetA, email: 'viewer@a.test', password, role: 'viewer' });
  await createUser(deps, { fleetId: fleetB, email: 'owner@b.test', password, role: 'owner' });
  await createUser(deps, { fleetId: null, email: 'admin@review.test', password, role: 'admin' });
  const login = (email: string) => loginForTest(app, platform.clock, email, password);
  const tokens = { ownerA: await login('owner@a.test'), viewerA: await login('viewer@a.test'), ownerB: await login('owner@b.test'), admin: await login('admin@review.test') };

  return {
    platform,
    app,
    fleetA,
    fleetB,
    vehicleA1,
    vehicleA2,
    vehicleB,
    ownerAId,
    tokens,
    call: async (token, method, path, body) =>
      app.request(path, {
        method,
        headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), 'content-type': 'application/json' },
        body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
      }),
    async addFrame(input) {
      const bytes = input.bytes ?? new Uint8Array([0xff, 0xd8, 0xff, 0xd9]);
      const key = `frames/test/${input.id}.jpg`;
      await platform.blobs.put(key, bytes, { contentType: 'image/jpeg' });
      await db
        .insertInto('frames')
        .values({ id: input.id, fleet_id: input.fleetId, vehicle_id: input.vehicleId, device_id: null, blob_key: key, captured_at: input.at, received_at: input.at, size_bytes: bytes.length, width: 640, height: 480, analysis_status: input.analysis ? 'done' : 'pending', analysis: input.analysis ? JSON.stringify(input.analysis) : null })
        .execute();
    },
    async addFix(input) {
      await db
        .insertInto('gps_fixes')
        .values({ fleet_id: input.fleetId, vehicle_id: input.vehicleId, device_id: null, device_time: input.at, received_at: input.at, latitude: input.latitude, longitude: input.longitude, speed_kmh: input.speedKmh ?? null, heading: null, accuracy_m: null, altitude_m: null })
        .execute();
    },
    async addIncident(input) {
      const status = input.status ?? 'open';
      await db
        .insertInto('incidents')
        .values({
          id: input.id,
          fleet_id: input.fleetId,
          vehicle_id: input.vehicleId,
          driver_id: null,
          trip_id: null,
          frame_id: input.frameId ?? null,
          type: input.type ?? 'PHONE_USAGE',
          severity: 'HIGH',
          confidence: 0.9,
          description: 'Driver holding a phone',
          source: 'vision',
          status,
          latitude: 40.4,
          longitude: -3.7,
          occurred_at: input.occurredAt,
          last_seen_at: input.lastSeenAt ?? input.occurredAt,
          status_changed_by: null,
          status_changed_at: status === 'open' ? null : input.occurredAt,
          status_reason: null,
          status_reason_code: input.reasonCode ?? null,
          created_at: input.occurredAt,
        })
        .execute();
    },
  };
}
