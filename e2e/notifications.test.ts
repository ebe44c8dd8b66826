/**
 * End to end over real loopback HTTP: a taxi's GPS batch with a harsh stop → telemetry incident → alert → the
 * durable queue's worker runs notify-alert → the owner's phone (a loopback push service that decrypts with its own
 * RFC 8291 code and checks VAPID) receives the push, measured against a generous 2 s budget. A person in quiet hours
 * gets nothing; their delivery is held in the log.
 */
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../edge/app.ts';
import { DEFAULT_PREFERENCES } from '../edge/domain/notifications/preferences.ts';
import { createDevice, createFleet, createUser, createVehicle } from '../edge/domain/provisioning.ts';
import { drive } from '../edge/domain/telemetry/telemetry-test-drive.ts';
import { jobHandlers } from '../jobs/index.ts';
import { startPushService, type PushService } from './support/push-service.ts';
import { createTestPlatform, type TestPlatform } from './support/test-platform.ts';
import { loginForTest } from './support/test-sessions.ts';

const password = 'notifications-e2e-password';
// A calm drive earlier the same morning, sent first: the measured batch is not the process's first (cold code paths).
const CALM = drive(
  [
    { kmh: 30, seconds: 20 },
    { kmh: 30, seconds: 20 },
  ],
  { startAt: Date.parse('2026-06-01T07:50:00Z') },
);
// Cruising at 50 km/h, then a stop in 2 s (6.9 m/s²): a HIGH harsh braking — and, stopping dead like that, a
// CRITICAL possible accident too.
const HARSH_STOP = drive(
  [
    { kmh: 50, seconds: 6 },
    { kmh: 0, seconds: 2 },
    { kmh: 0, seconds: 4 },
  ],
  { startAt: Date.parse('2026-06-01T07:58:00Z'), startKmh: 50 },
);

describe('a harsh stop reaches the owner’s phone as a Web Push', () => {
  let platform: TestPlatform;
  let service: PushService;
  let server: ReturnType<typeof serve>;
  let base: string;
  let deviceKey: string;
  const tokens: Record<string, string> = {};
  const phones: Record<string, ReturnType<PushService['subscribe']>> = {};

  beforeAll(async () => {
    // As in production: the device is answered once its fixes are stored; rules and alerts follow.
    platform = await createTestPlatform({ PUSH_ALLOW_LOOPBACK_ENDPOINTS: 'true', INGEST_IN_BACKGROUND: 'true' });
    service = await startPushService({ nowS: () => Math.floor(platform.clock.now() / 1000) });
    const app = createApp(platform);
    const deps = { db: platform.db.kysely, clock: platform.clock, ids: platform.ids };
    // Madrid: the platform's 08:00 UTC is 10:00 there.
    const fleetId = (
      await createFleet(deps, { name: 'E2E push', timezone: 'Europe/Madrid', locale: 'en', speedLimitKmh: 120 })
    ).id;
    deviceKey = (
      await createDevice(deps, { vehicleId: (await createVehicle(deps, { fleetId, plate: 'E2E-PUSH' })).id })
    ).key;
    for (const email of ['owner@push-e2e.test', 'sleeper@push-e2e.test']) {
      await createUser(deps, { fleetId, email, password, role: 'owner' });
      tokens[email] = await loginForTest(app, platform.clock, email, password);
    }
    server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
    await new Promise((resolve) => server.once('listening', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const api = (path: string, email: string, method: string, body: unknown) =>
      fetch(`${base}${path}`, {
        method,
        headers: { authorization: `Bearer ${tokens[email]}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    // Each person subscribes their phone the way the app does; the sleeper keeps quiet hours over this morning.
    for (const email of Object.keys(tokens)) {
      // As the app does: the server's key first (applicationServerKey), then the subscription.
      expect(
        (
          await fetch(`${base}/api/v1/notifications/push-key`, {
            headers: { authorization: `Bearer ${tokens[email]}` },
          })
        ).status,
      ).toBe(200);
      phones[email] = service.subscribe();
      expect((await api('/api/v1/notifications/push-subscriptions', email, 'POST', phones[email])).status).toBe(201);
    }
    const quiet = {
      ...DEFAULT_PREFERENCES,
      quiet_hours: { enabled: true, start: '09:00', end: '12:00', allow_critical: true },
    };
    expect((await api('/api/v1/notifications/preferences', 'sleeper@push-e2e.test', 'PUT', quiet)).status).toBe(200);
    platform.queue.start(jobHandlers(platform));
  }, 60_000);
  afterAll(async () => {
    await platform?.queue.stop();
    if (server) await new Promise((resolve) => server.close(resolve));
    await service?.close();
    await platform?.close();
  });

  it('delivers the decrypted push within 2 s of the fix batch, and holds it for the person in quiet hours', async () => {
    const send = (batch: typeof HARSH_STOP) => {
      const fixes = batch.map((f) => ({
        latitude: f.lat,
        longitude: f.lon,
        speed: f.speedKmh,
        accuracy: f.accuracyM,
        timestamp: new Date(f.at).toISOString(),
      }));
      return fetch(`${base}/api/v1/tracking/location`, {
        method: 'POST',
        headers: { authorization: `Bearer ${deviceKey}`, 'content-type': 'application/json' },
        body: JSON.stringify({ fixes }),
      });
    };
    expect((await send(CALM)).status).toBe(202);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const started = performance.now();
    const res = await send(HARSH_STOP);
    expect(res.status).toBe(202);
    const answeredMs = performance.now() - started;
    const owner = phones['owner@push-e2e.test'].endpoint;
    const sleeper = phones['sleeper@push-e2e.test'].endpoint;
    const pushesTo = (endpoint: string) =>
      service.received.filter((r) => r.endpoint === endpoint).map((r) => JSON.parse(r.payload));
    await service.waitFor(() => pushesTo(owner).some((p) => p.severity === 'HIGH'), 10_000);
    const elapsedMs = performance.now() - started;
    console.info(
      `notifications e2e: fix batch → push decrypted at the push service in ${elapsedMs.toFixed(0)} ms (the device route answered after ${answeredMs.toFixed(0)} ms; queue poll 20 ms)`,
    );
    expect(elapsedMs).toBeLessThanOrEqual(2000);

    const push = pushesTo(owner).find((p) => p.severity === 'HIGH');
    const alert = await platform.db.kysely
      .selectFrom('alerts')
      .innerJoin('incidents', 'incidents.id', 'alerts.incident_id')
      .select(['alerts.id', 'alerts.incident_id', 'incidents.type'])
      .where('alerts.id', '=', push.alert_id)
      .executeTakeFirstOrThrow();
    expect(alert.type).toBe('HARSH_BRAKING');
    expect(push).toEqual({
      title: 'High · E2E-PUSH',
      body: expect.stringMatching(/^Harsh braking — E2E-PUSH: Braked from \d+ to \d+ km\/h/),
      url: `/incidents/${alert.incident_id}`,
      tag: alert.id,
      alert_id: alert.id,
      incident_id: alert.incident_id,
      severity: 'HIGH',
      lang: 'en',
    });

    // Quiet hours: the sleeper's HIGH push is held in the log; the CRITICAL one (a possible accident) still woke them.
    await service.waitFor(
      () => pushesTo(owner).some((p) => p.severity === 'CRITICAL') && pushesTo(sleeper).length > 0,
      10_000,
    );
    expect(pushesTo(sleeper).map((p) => p.severity)).toEqual(['CRITICAL']);
    const log = await fetch(`${base}/api/v1/alerts/${alert.id}/deliveries`, {
      headers: { authorization: `Bearer ${tokens['owner@push-e2e.test']}` },
    });
    const items = (await log.json()).items as Array<{
      user_email: string;
      channel: string;
      status: string;
      last_error: string | null;
    }>;
    expect(
      items
        .filter((d) => d.channel === 'push')
        .map((d) => [d.user_email, d.status, d.last_error])
        .sort(),
    ).toEqual([
      ['owner@push-e2e.test', 'sent', null],
      ['sleeper@push-e2e.test', 'held', 'held: quiet_hours'],
    ]);
  }, 60_000);
});
