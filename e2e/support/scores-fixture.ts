/**
 * Two fleets (A in Europe/Madrid, B in UTC) with taxis, drivers, people, and helpers that place assignment stints,
 * trips and incidents at exact instants — what the score and coaching tests start from.
 */
import { createApp } from '../../edge/app.ts';
import type { Severity } from '../../edge/db/schema.ts';
import { createDriver, createFleet, createUser, createVehicle } from '../../edge/domain/provisioning.ts';
import { createTestPlatform, type TestPlatform } from './test-platform.ts';
import { loginForTest } from './test-sessions.ts';

export interface ScoresFixture {
  platform: TestPlatform;
  app: ReturnType<typeof createApp>;
  fleetA: string;
  fleetB: string;
  taxi: { A1: string; A2: string; B1: string };
  driver: { ana: string; bruno: string; carla: string; berta: string };
  tokens: { ownerA: string; viewerA: string; ownerB: string };
  call(
    token: string,
    method: string,
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<Response>;
  stint(input: { fleetId: string; vehicleId: string; driverId: string; from: string; to?: string }): Promise<void>;
  trip(input: {
    fleetId: string;
    vehicleId: string;
    at: string;
    km: number;
    minutes: number;
    driverId?: string;
  }): Promise<void>;
  incident(input: {
    id: string;
    fleetId: string;
    vehicleId: string;
    at: string;
    type: string;
    severity: Severity;
    status?: 'open' | 'acknowledged' | 'resolved' | 'false_positive';
    lastSeen?: string;
  }): Promise<void>;
}

/** `now` sets the clock before anyone logs in (access tokens expire when the clock jumps past them). */
export async function createScoresFixture(
  options: { database?: 'pglite' | 'postgres'; now?: string } = {},
): Promise<ScoresFixture> {
  const platform = await createTestPlatform({}, { database: options.database });
  if (options.now) platform.clock.set(options.now);
  const app = createApp(platform);
  const db = platform.db.kysely;
  const deps = { db, clock: platform.clock, ids: platform.ids };
  const fleetA = (await createFleet(deps, { name: 'Fleet A', timezone: 'Europe/Madrid' })).id;
  const fleetB = (await createFleet(deps, { name: 'Fleet B' })).id;
  const taxi = {
    A1: (await createVehicle(deps, { fleetId: fleetA, plate: 'A-001' })).id,
    A2: (await createVehicle(deps, { fleetId: fleetA, plate: 'A-002' })).id,
    B1: (await createVehicle(deps, { fleetId: fleetB, plate: 'B-001' })).id,
  };
  const driver = {
    ana: (await createDriver(deps, { fleetId: fleetA, name: 'Ana', licenceExpiresOn: '2030-01-01' })).id,
    bruno: (await createDriver(deps, { fleetId: fleetA, name: 'Bruno', licenceExpiresOn: '2030-01-01' })).id,
    carla: (await createDriver(deps, { fleetId: fleetA, name: 'Carla', licenceExpiresOn: '2030-01-01' })).id,
    berta: (await createDriver(deps, { fleetId: fleetB, name: 'Berta', licenceExpiresOn: '2030-01-01' })).id,
  };
  const password = 'scores-password-1';
  await createUser(deps, { fleetId: fleetA, email: 'owner@scores-a.test', password, role: 'owner' });
  await createUser(deps, { fleetId: fleetA, email: 'viewer@scores-a.test', password, role: 'viewer' });
  await createUser(deps, { fleetId: fleetB, email: 'owner@scores-b.test', password, role: 'owner' });
  const login = (email: string) => loginForTest(app, platform.clock, email, password);
  const tokens = {
    ownerA: await login('owner@scores-a.test'),
    viewerA: await login('viewer@scores-a.test'),
    ownerB: await login('owner@scores-b.test'),
  };

  return {
    platform,
    app,
    fleetA,
    fleetB,
    taxi,
    driver,
    tokens,
    call: async (token, method, path, body, headers = {}) =>
      app.request(path, {
        method,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...headers },
        body: body === undefined ? undefined : JSON.stringify(body),
      }),
    async stint(s) {
      await db
        .insertInto('vehicle_drivers')
        .values({
          id: platform.ids.next(),
          fleet_id: s.fleetId,
          vehicle_id: s.vehicleId,
          driver_id: s.driverId,
          started_at: new Date(s.from),
          ended_at: s.to ? new Date(s.to) : null,
          assigned_by: null,
          created_at: new Date(s.from),
        })
        .execute();
    },
    async trip(t) {
      const start = new Date(t.at);
      await db
        .insertInto('trips')
        .values({
          id: platform.ids.next(),
          fleet_id: t.fleetId,
          vehicle_id: t.vehicleId,
          driver_id: t.driverId ?? null,
          started_at: start,
          ended_at: new Date(start.getTime() + t.minutes * 60_000),
          distance_m: t.km * 1000,
          duration_s: t.minutes * 60,
        })
        .execute();
    },
    async incident(i) {
      const status = i.status ?? 'open';
      await db
        .insertInto('incidents')
        .values({
          id: i.id,
          fleet_id: i.fleetId,
          vehicle_id: i.vehicleId,
          driver_id: null,
          trip_id: null,
          frame_id: null,
          type: i.type,
          severity: i.severity,
          confidence: 0.9,
          description: i.type,
          source: i.type === 'SPEEDING' || i.type.startsWith('HARSH') ? 'telemetry' : 'vision',
          status,
          latitude: 40.4,
          longitude: -3.7,
          occurred_at: new Date(i.at),
          last_seen_at: new Date(i.lastSeen ?? i.at),
          status_changed_by: null,
          status_changed_at: null,
          status_reason: null,
          status_reason_code: null,
          created_at: new Date(i.at),
        })
        .execute();
    },
  };
}
