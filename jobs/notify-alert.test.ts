/**
 * The notifier and escalation on the embedded platform with a manual clock and a loopback push service: a
 * redelivered job sends nothing twice, a gone subscription is removed, failures retry through the queue, quiet
 * hours hold, and an unacknowledged CRITICAL alert climbs the escalation list until someone acknowledges it.
 */
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { startPushService, type PushService } from '../e2e/support/push-service.ts';
import { createTestPlatform, type TestPlatform } from '../e2e/support/test-platform.ts';
import { createApp } from '../edge/app.ts';
import { DEFAULT_PREFERENCES } from '../edge/domain/notifications/preferences.ts';
import { createFleet, createUser, createVehicle } from '../edge/domain/provisioning.ts';
import { loginForTest } from '../e2e/support/test-sessions.ts';
import { jobs } from './index.ts';

const password = 'notify-alert-password';
const context = { jobId: 'test', attempt: 1 };

describe('notify-alert, deliver-notification and escalate-alerts', () => {
  let platform: TestPlatform;
  let service: PushService;
  let app: ReturnType<typeof createApp>;
  let fleetId: string;
  let vehicleId: string;
  const people: Record<string, string> = {};
  const browsers: Record<string, ReturnType<PushService['subscribe']>> = {};

  beforeEach(async () => {
    await platform?.close();
    platform = await createTestPlatform({ PUSH_ALLOW_LOOPBACK_ENDPOINTS: 'true' });
    service ??= await startPushService({ nowS: () => Math.floor(platform.clock.now() / 1000) });
    app = createApp(platform);
    const deps = { db: platform.db.kysely, clock: platform.clock, ids: platform.ids };
    fleetId = (await createFleet(deps, { name: 'Fleet Notify', timezone: 'Europe/Madrid', locale: 'es' })).id;
    vehicleId = (await createVehicle(deps, { fleetId, plate: '1234-ABC' })).id;
    for (const [email, role] of [
      ['owner@notify.test', 'owner'],
      ['viewer@notify.test', 'viewer'],
      ['second@notify.test', 'owner'],
    ] as const) {
      people[email] = (await createUser(deps, { fleetId, email, password, role })).id;
      browsers[email] = service.subscribe();
      await platform.db.kysely
        .insertInto('push_subscriptions')
        .values({
          id: `sub-${email}`,
          user_id: people[email],
          endpoint: browsers[email].endpoint,
          ...browsers[email].keys,
          user_agent: null,
          created_at: new Date(platform.clock.now()),
        })
        .execute();
    }
    people.admin = (await createUser(deps, { fleetId: null, email: 'admin@notify.test', password, role: 'admin' })).id;
    browsers.admin = service.subscribe();
    await platform.db.kysely
      .insertInto('push_subscriptions')
      .values({
        id: 'sub-admin',
        user_id: people.admin,
        endpoint: browsers.admin.endpoint,
        ...browsers.admin.keys,
        user_agent: null,
        created_at: new Date(platform.clock.now()),
      })
      .execute();
  });
  afterAll(async () => {
    await platform?.close();
    await service?.close();
  });

  const raiseAlert = async (severity: 'HIGH' | 'CRITICAL', id = `alert-${platform.ids.next()}`) => {
    // One telemetry incident per vehicle, type and instant: each alert a second apart.
    platform.clock.advance(1_000);
    const now = new Date(platform.clock.now());
    const incidentId = `inc-${id}`;
    await platform.db.kysely
      .insertInto('incidents')
      .values({
        id: incidentId,
        fleet_id: fleetId,
        vehicle_id: vehicleId,
        driver_id: null,
        trip_id: null,
        frame_id: null,
        type: 'HARSH_BRAKING',
        severity,
        confidence: null,
        source: 'telemetry',
        latitude: null,
        longitude: null,
        occurred_at: now,
        last_seen_at: now,
        status_changed_by: null,
        status_changed_at: null,
        status_reason: null,
        created_at: now,
      })
      .execute();
    await platform.db.kysely
      .insertInto('alerts')
      .values({
        id,
        fleet_id: fleetId,
        incident_id: incidentId,
        vehicle_id: vehicleId,
        severity,
        message: 'Frenada brusca — 1234-ABC',
        created_at: now,
        read_at: null,
        acknowledged_at: null,
        acknowledged_by: null,
      })
      .execute();
    return { id, incidentId };
  };
  const pushesTo = (who: string) =>
    service.received.filter((r) => r.endpoint === browsers[who].endpoint).map((r) => JSON.parse(r.payload));
  const deliveries = (alertId: string) =>
    platform.db.kysely
      .selectFrom('notification_deliveries')
      .selectAll()
      .where('alert_id', '=', alertId)
      .orderBy('id')
      .execute();

  it('sends one push per browser and one email, in the fleet’s language, and nothing more when the job runs again', async () => {
    const { id, incidentId } = await raiseAlert('CRITICAL');
    await jobs['notify-alert'](platform, { alertId: id }, context);
    await jobs['notify-alert'](platform, { alertId: id }, { ...context, attempt: 2 });
    for (const who of ['owner@notify.test', 'viewer@notify.test', 'second@notify.test']) {
      expect(pushesTo(who)).toEqual([
        {
          title: 'Crítica · 1234-ABC',
          body: 'Frenada brusca — 1234-ABC',
          url: `/incidents/${incidentId}`,
          tag: id,
          alert_id: id,
          incident_id: incidentId,
          severity: 'CRITICAL',
          lang: 'es',
        },
      ]);
    }
    expect(pushesTo('admin')).toEqual([]);
    const mails = platform.email.sent.filter((m) => m.headers?.['X-TaxiWatch-Alert'] === id);
    expect(mails.map((m) => m.to).sort()).toEqual(['owner@notify.test', 'second@notify.test', 'viewer@notify.test']);
    expect(mails[0]!.subject).toContain('Crítica');
    expect(mails[0]!.text).toContain(`/incidents/${incidentId}`);
    const rows = await deliveries(id);
    expect(rows).toHaveLength(6);
    expect(rows.every((r) => r.status === 'sent' && r.attempts === 1 && r.sent_at)).toBe(true);
    expect(rows[0]!.dedupe_key).toBe(`${id}:${rows[0]!.user_id}:${rows[0]!.channel}:${rows[0]!.target}:alert`);
    const timeline = await platform.db.kysely
      .selectFrom('alert_events')
      .select(['kind', 'detail'])
      .where('alert_id', '=', id)
      .execute();
    expect(timeline).toEqual([
      {
        kind: 'notified',
        detail: {
          people: 3,
          emails: ['owner@notify.test', 'viewer@notify.test', 'second@notify.test'],
          push: 3,
          email: 3,
          held: 0,
        },
      },
    ]);
  });

  it('removes a subscription the push service calls gone (410 and 404), and retries a failing one through the queue', async () => {
    service.answerWith(browsers['owner@notify.test'].endpoint, 410);
    service.answerWith(browsers['viewer@notify.test'].endpoint, 500);
    await platform.db.kysely
      .updateTable('push_subscriptions')
      .set({ endpoint: `${service.origin}/push/forgotten` })
      .where('id', '=', 'sub-second@notify.test')
      .execute();
    const { id } = await raiseAlert('HIGH');
    await jobs['notify-alert'](platform, { alertId: id }, context);
    const rows = await deliveries(id);
    const byTarget = (endpoint: string) => rows.find((r) => r.target === endpoint)!;
    expect(byTarget(browsers['owner@notify.test'].endpoint)).toMatchObject({ status: 'gone', attempts: 1 });
    expect(byTarget(`${service.origin}/push/forgotten`)).toMatchObject({ status: 'gone' });
    expect(byTarget(browsers['viewer@notify.test'].endpoint)).toMatchObject({
      status: 'pending',
      attempts: 1,
      last_error: expect.stringContaining('HTTP 500'),
    });
    const left = await platform.db.kysely.selectFrom('push_subscriptions').select('id').orderBy('id').execute();
    expect(left.map((s) => s.id)).toEqual(['sub-admin', 'sub-viewer@notify.test']);
    // HIGH is not emailed by default.
    expect(rows.filter((r) => r.channel === 'email')).toEqual([]);

    // The retry is a queued job due after the backoff; the service is well again by then.
    const retry = await platform.db.kysely
      .selectFrom('jobs')
      .select(['name', 'payload', 'run_at'])
      .where('name', '=', 'deliver-notification')
      .executeTakeFirstOrThrow();
    expect(retry.run_at.getTime()).toBe(platform.clock.now() + 30_000);
    service.answerWith(browsers['viewer@notify.test'].endpoint, 201);
    await jobs['deliver-notification'](platform, retry.payload, context);
    await jobs['deliver-notification'](platform, retry.payload, context);
    expect(byTarget(browsers['viewer@notify.test'].endpoint).id).toBeDefined();
    expect((await deliveries(id)).find((r) => r.target === browsers['viewer@notify.test'].endpoint)).toMatchObject({
      status: 'sent',
      attempts: 2,
      last_error: null,
    });
    expect(pushesTo('viewer@notify.test').filter((p) => p.alert_id === id)).toHaveLength(1);
  });

  it('holds a HIGH alert in quiet hours (in the fleet’s timezone), lets CRITICAL through, and sends by day', async () => {
    const quiet = structuredClone(DEFAULT_PREFERENCES);
    quiet.quiet_hours = { enabled: true, start: '22:00', end: '07:00', allow_critical: true };
    await platform.db.kysely
      .insertInto('notification_preferences')
      .values({ user_id: people['owner@notify.test'], preferences: JSON.stringify(quiet), updated_at: new Date() })
      .execute();
    platform.clock.set('2026-06-01T23:30:00Z'); // 01:30 in Madrid
    const night = await raiseAlert('HIGH');
    const critical = await raiseAlert('CRITICAL');
    await jobs['notify-alert'](platform, { alertId: night.id }, context);
    await jobs['notify-alert'](platform, { alertId: critical.id }, context);
    expect(pushesTo('owner@notify.test').map((p) => p.alert_id)).toEqual([critical.id]);
    expect(
      pushesTo('viewer@notify.test')
        .map((p) => p.alert_id)
        .sort(),
    ).toEqual([night.id, critical.id].sort());
    const held = (await deliveries(night.id)).filter((r) => r.user_id === people['owner@notify.test']);
    expect(held).toMatchObject([{ channel: 'push', status: 'held', attempts: 0, last_error: 'held: quiet_hours' }]);
    platform.clock.set('2026-06-02T06:00:00Z'); // 08:00 in Madrid
    const day = await raiseAlert('HIGH');
    await jobs['notify-alert'](platform, { alertId: day.id }, context);
    expect(pushesTo('owner@notify.test').map((p) => p.alert_id)).toEqual([critical.id, day.id]);
  });

  it('collects email for the digest and sends it once in the morning, with the emails quiet hours held', async () => {
    const digest = structuredClone(DEFAULT_PREFERENCES);
    digest.channels.email.digest = true;
    const quiet = structuredClone(DEFAULT_PREFERENCES);
    quiet.quiet_hours = { enabled: true, start: '22:00', end: '07:00', allow_critical: false };
    await platform.db.kysely
      .insertInto('notification_preferences')
      .values([
        { user_id: people['owner@notify.test'], preferences: JSON.stringify(digest), updated_at: new Date() },
        { user_id: people['viewer@notify.test'], preferences: JSON.stringify(quiet), updated_at: new Date() },
      ])
      .execute();
    platform.clock.set('2026-06-01T21:00:00Z'); // 23:00 in Madrid
    const { id } = await raiseAlert('CRITICAL');
    await jobs['notify-alert'](platform, { alertId: id }, context);
    const mailsTo = (to: string) => platform.email.sent.filter((m) => m.to === to);
    expect(mailsTo('owner@notify.test')).toEqual([]);
    expect(mailsTo('viewer@notify.test')).toEqual([]);
    expect(mailsTo('second@notify.test')).toHaveLength(1);
    expect(pushesTo('owner@notify.test').map((p) => p.alert_id)).toEqual([id]);

    platform.clock.set('2026-06-02T05:00:00Z'); // 07:00 in Madrid
    await jobs['notification-digest'](platform, { fleetId, day: '2026-06-02' }, context);
    await jobs['notification-digest'](platform, { fleetId, day: '2026-06-02' }, context);
    for (const who of ['owner@notify.test', 'viewer@notify.test']) {
      expect(mailsTo(who)).toHaveLength(1);
      expect(mailsTo(who)[0]!.subject).toBe('TaxiWatch: 1 alerta (2026-06-02)');
      expect(mailsTo(who)[0]!.text).toContain('Frenada brusca — 1234-ABC');
    }
    const rows = await deliveries(id);
    expect(rows.filter((r) => r.channel === 'email').map((r) => r.status)).toEqual(['sent', 'sent', 'sent']);
    const digests = await platform.db.kysely
      .selectFrom('notification_deliveries')
      .select(['reason', 'status', 'alert_id'])
      .where('reason', '=', 'digest')
      .execute();
    expect(digests).toEqual([
      { reason: 'digest', status: 'sent', alert_id: null },
      { reason: 'digest', status: 'sent', alert_id: null },
    ]);
  });

  it('escalates an unacknowledged CRITICAL alert one person per interval, then to platform admins, and stops there', async () => {
    await platform.db.kysely
      .updateTable('fleets')
      .set({
        notifications: JSON.stringify({
          escalate_after_minutes: 5,
          escalation_list: [people['second@notify.test'], people['viewer@notify.test']],
        }),
      })
      .where('id', '=', fleetId)
      .execute();
    const { id } = await raiseAlert('CRITICAL');
    await jobs['notify-alert'](platform, { alertId: id }, context);
    const escalations = async () => (await deliveries(id)).filter((r) => r.reason === 'escalation');
    const escalate = () => jobs['escalate-alerts'](platform, {}, context);

    platform.clock.advance(4 * 60_000 + 59_000);
    await escalate();
    expect(await escalations()).toEqual([]);
    platform.clock.advance(1_000);
    await escalate();
    await escalate();
    expect((await escalations()).map((r) => `${r.user_id} ${r.channel} ${r.status}`).sort()).toEqual([
      `${people['second@notify.test']} email sent`,
      `${people['second@notify.test']} push sent`,
    ]);
    const escalatedPush = pushesTo('second@notify.test').filter((p) => p.alert_id === id);
    expect(escalatedPush.map((p) => p.title)).toEqual([
      'Crítica · 1234-ABC',
      'Sin confirmar tras 5 min · Crítica · 1234-ABC',
    ]);

    platform.clock.advance(5 * 60_000);
    await escalate();
    platform.clock.advance(5 * 60_000);
    await escalate();
    platform.clock.advance(5 * 60_000);
    await escalate();
    const events = await platform.db.kysely
      .selectFrom('alert_events')
      .select(['kind', 'detail'])
      .where('alert_id', '=', id)
      .where('kind', '=', 'escalated')
      .orderBy('at')
      .execute();
    expect(events.map((e) => e.detail)).toEqual([
      { step: 1, to: 'person', user_ids: [people['second@notify.test']], emails: ['second@notify.test'] },
      { step: 2, to: 'person', user_ids: [people['viewer@notify.test']], emails: ['viewer@notify.test'] },
      { step: 3, to: 'platform_admins', user_ids: [people.admin], emails: ['admin@notify.test'] },
    ]);
    expect(pushesTo('admin').map((p) => p.alert_id)).toEqual([id]);

    // The owner reads it all on the alert: deliveries (push targets masked to the host) and the timeline.
    const token = await loginForTest(app, platform.clock, 'owner@notify.test', password);
    const log = (
      await (
        await app.request(`/api/v1/alerts/${id}/deliveries`, { headers: { authorization: `Bearer ${token}` } })
      ).json()
    ).items;
    expect(log.find((d: any) => d.user_id === people.admin && d.channel === 'email')).toMatchObject({
      user_email: null,
      target: '(platform admin)',
      reason: 'escalation',
      status: 'sent',
    });
    expect(log.find((d: any) => d.channel === 'push').target).toBe(new URL(service.origin).host);
    const timeline = (
      await (
        await app.request(`/api/v1/alerts/${id}/timeline`, { headers: { authorization: `Bearer ${token}` } })
      ).json()
    ).items;
    expect(timeline.map((e: any) => e.kind)).toEqual(['notified', 'escalated', 'escalated', 'escalated']);
  });

  it('stops escalating once someone acknowledges, and records who did', async () => {
    await platform.db.kysely
      .updateTable('fleets')
      .set({
        notifications: JSON.stringify({
          escalate_after_minutes: 2,
          escalation_list: [people['second@notify.test'], people['viewer@notify.test']],
        }),
      })
      .where('id', '=', fleetId)
      .execute();
    const { id } = await raiseAlert('CRITICAL');
    platform.clock.advance(2 * 60_000);
    await jobs['escalate-alerts'](platform, {}, context);
    platform.clock.advance(10_000);
    const token = await loginForTest(app, platform.clock, 'owner@notify.test', password);
    const ack = await app.request(`/api/v1/alerts/${id}/acknowledge`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(ack.status).toBe(200);
    await app.request(`/api/v1/alerts/${id}/acknowledge`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
    });
    for (let i = 0; i < 5; i++) {
      platform.clock.advance(2 * 60_000);
      await jobs['escalate-alerts'](platform, {}, context);
    }
    const timeline = (
      await (
        await app.request(`/api/v1/alerts/${id}/timeline`, { headers: { authorization: `Bearer ${token}` } })
      ).json()
    ).items;
    expect(timeline.map((e: any) => [e.kind, e.detail.step ?? e.detail.user_id])).toEqual([
      ['escalated', 1],
      ['acknowledged', people['owner@notify.test']],
    ]);
    expect(pushesTo('viewer@notify.test').filter((p) => p.alert_id === id)).toEqual([]);
  });
});
