/**
 * Webhooks end to end: an owner registers a loopback receiver that verifies the signature; it fails twice,
 * the queue retries with backoff, the third try succeeds; the log shows it, and a replay sends it again. Every
 * delivery is checked by the project's verifyWebhook and by the receiver example of docs/integrate/webhooks.md.
 */
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPlatform, type TestPlatform } from '../../e2e/support/test-platform.ts';
import { loginForTest } from '../../e2e/support/test-sessions.ts';
import { deliverWebhook } from '../../jobs/deliver-webhook.ts';
import { jobHandlers } from '../../jobs/index.ts';
import { createApp } from '../app.ts';
import { createFleet, createUser } from '../domain/provisioning.ts';
import { activeHooks, dispatchWebhookEvent, forgetFleetWebhooks } from '../domain/webhooks/dispatch.ts';
import { verifyWebhook } from '../domain/webhooks/webhook-signature.ts';
import { loadDocumentedReceiver, type DocumentedVerify } from '../../e2e/support/documented-webhook-receiver.ts';

describe('webhooks', () => {
  let platform: TestPlatform;
  let app: ReturnType<typeof createApp>;
  let owner: string;
  let receiver: Server;
  let receiverUrl: string;
  let failuresLeft = 2;
  const received: { event: string; verified: boolean; verifiedByDocExample: boolean; body: { type: string; data: unknown } }[] = [];
  let documentedVerify: DocumentedVerify;
  let secret = '';

  const call = (method: string, path: string, body?: unknown) =>
    app.request(path, { method, headers: { authorization: `Bearer ${owner}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });

  beforeAll(async () => {
    platform = await createTestPlatform();
    documentedVerify = await loadDocumentedReceiver(() => platform.clock.now());
    app = createApp(platform);
    platform.queue.setHandlers(jobHandlers(platform));
    const deps = { db: platform.db.kysely, clock: platform.clock, ids: platform.ids };
    const fleet = await createFleet(deps, { name: 'Hooks' });
    await createUser(deps, { fleetId: fleet.id, email: 'owner@hooks.test', password: 'hooks-password-1', role: 'owner' });
    owner = await loginForTest(app, platform.clock, 'owner@hooks.test', 'hooks-password-1');
    receiver = createServer(async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const body = Buffer.concat(chunks).toString('utf8');
      const verified = await verifyWebhook(secret, body, String(req.headers['taxiwatch-signature']), Math.floor(platform.clock.now() / 1000));
      const verifiedByDocExample = documentedVerify(body, String(req.headers['taxiwatch-signature']), secret);
      received.push({ event: String(req.headers['taxiwatch-event']), verified, verifiedByDocExample, body: JSON.parse(body) });
      if (failuresLeft-- > 0) res.writeHead(503).end('busy');
      else res.writeHead(verified && verifiedByDocExample ? 204 : 401).end();
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    receiverUrl = `http://127.0.0.1:${(receiver.address() as { port: number }).port}/hooks/taxiwatch`;
  });
  afterAll(async () => {
    await new Promise((r) => receiver.close(r));
    await platform.close();
  });

  it('delivers signed events, retrying a failing receiver with backoff, and logs every outcome', async () => {
    const created = await call('POST', '/api/v1/webhooks', { url: receiverUrl, event_types: ['new_alert'] });
    expect(created.status).toBe(201);
    const hook = await created.json();
    secret = hook.secret;
    expect(secret).toMatch(/^whsec_/);
    expect(JSON.stringify(await (await call('GET', '/api/v1/webhooks')).json())).not.toContain(secret);

    const ping = await (await call('POST', `/api/v1/webhooks/${hook.id}/ping`)).json();
    await platform.queue.runDue();
    expect(received).toHaveLength(1);
    platform.clock.advance(1000);
    await platform.queue.runDue();
    expect(received).toHaveLength(2);
    platform.clock.advance(1999);
    await platform.queue.runDue();
    expect(received).toHaveLength(2); // the second backoff is 2 s
    platform.clock.advance(1);
    await platform.queue.runDue();
    expect(received).toHaveLength(3);
    expect(received.every((r) => r.verified && r.verifiedByDocExample && r.event === 'ping')).toBe(true);

    const log = await (await call('GET', `/api/v1/webhooks/${hook.id}/deliveries`)).json();
    expect(log.data).toEqual([expect.objectContaining({ id: ping.delivery_id, status: 'succeeded', attempts: 3, last_status_code: 204 })]);

    const replay = await call('POST', `/api/v1/webhooks/${hook.id}/deliveries/${ping.delivery_id}/replay`);
    expect(replay.status).toBe(202);
    await platform.queue.runDue();
    expect(received).toHaveLength(4);
  });

  it('rejects bad URLs and unknown event types, and a receiver rejects a forged signature', async () => {
    expect((await call('POST', '/api/v1/webhooks', { url: 'ftp://x', event_types: ['new_alert'] })).status).toBe(400);
    expect((await call('POST', '/api/v1/webhooks', { url: receiverUrl, event_types: ['everything'] })).status).toBe(400);
    const now = Math.floor(platform.clock.now() / 1000);
    expect(await verifyWebhook('whsec_x', '{"a":1}', `t=${now},v1=${'0'.repeat(64)}`, now)).toBe(false);
  });

  it('refuses private targets unless WEBHOOK_ALLOW_PRIVATE_TARGETS, at registration and again at delivery', async () => {
    const strictPlatform = { ...platform, config: { ...platform.config, WEBHOOK_ALLOW_PRIVATE_TARGETS: false } };
    const strictApp = createApp(strictPlatform);
    const res = await strictApp.request('/api/v1/webhooks', {
      method: 'POST',
      headers: { authorization: `Bearer ${owner}`, 'content-type': 'application/json' },
      body: JSON.stringify({ url: 'http://169.254.169.254/latest/meta-data/', event_types: ['new_alert'] }),
    });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { code: string; message: string; details: Array<{ path: string; reason: string }> } };
    expect(body.error.code).toBe('validation_failed');
    expect(body.error.details[0]).toMatchObject({ path: 'url', reason: 'private_address' });
    expect(body.error.message).toContain('WEBHOOK_ALLOW_PRIVATE_TARGETS');

    // A webhook registered while private targets were allowed (the loopback receiver) is not called once they are not.
    const created = (await (await call('POST', '/api/v1/webhooks', { url: receiverUrl, event_types: ['new_alert'] })).json()) as { id: string };
    const before = received.length;
    // The delivery row alone, not queued: the test platform's queue would send it with the permissive config.
    const hook = await platform.db.kysely.selectFrom('webhooks').select('fleet_id').where('id', '=', created.id).executeTakeFirstOrThrow();
    const deliveryId = platform.ids.next();
    const now = new Date(platform.clock.now());
    await platform.db.kysely
      .insertInto('webhook_deliveries')
      .values({ id: deliveryId, webhook_id: created.id, fleet_id: hook.fleet_id, event_type: 'ping', payload: JSON.stringify({ type: 'ping' }), created_at: now, updated_at: now })
      .execute();
    await deliverWebhook(strictPlatform, { deliveryId }, { attempt: 1 } as Parameters<typeof deliverWebhook>[2]);
    const delivery = await platform.db.kysely.selectFrom('webhook_deliveries').selectAll().where('id', '=', deliveryId).executeTakeFirstOrThrow();
    expect(delivery.status).toBe('failed');
    expect(delivery.last_error).toContain('not sent');
    expect(received.length).toBe(before);
  });

  it('sends a webhook with min_severity only the alerts from that severity up, and every event without one', async () => {
    const res = await call('POST', '/api/v1/webhooks', { url: receiverUrl, event_types: ['new_alert', 'vehicle_status'], min_severity: 'HIGH' });
    expect(res.status).toBe(201);
    const hook = (await res.json()) as { id: string; fleet_id: string; min_severity: string };
    expect(hook.min_severity).toBe('HIGH');
    for (const severity of ['LOW', 'MEDIUM', 'HIGH', 'CRITICAL'] as const) {
      await dispatchWebhookEvent(platform, hook.fleet_id, 'new_alert', { alert_id: `a-${severity}`, incident_id: null, vehicle_id: null, plate: null, source: 'test', type: null, severity, occurred_at: '2026-12-05T00:00:00.000Z' });
    }
    await dispatchWebhookEvent(platform, hook.fleet_id, 'vehicle_status', { vehicle_id: 'v-1', status: 'moving', since: '2026-12-05T00:00:00.000Z' });
    const sent = await platform.db.kysely.selectFrom('webhook_deliveries').select(['event_type', 'payload']).where('webhook_id', '=', hook.id).orderBy('id').execute();
    expect(sent.map((d) => [d.event_type, (d.payload as { data: { severity?: string } }).data.severity ?? null])).toEqual([
      ['new_alert', 'HIGH'],
      ['new_alert', 'CRITICAL'],
      ['vehicle_status', null],
    ]);
    expect((await call('POST', '/api/v1/webhooks', { url: receiverUrl, event_types: ['new_alert'], min_severity: 'SEVERE' })).status).toBe(400);
  });
  it('looks a fleet’s webhooks up once per event burst, sees webhooks created or deleted through the API at once, and survives one deleted behind its back', async () => {
    const fleet = await createFleet({ db: platform.db.kysely, clock: platform.clock, ids: platform.ids }, { name: 'Cached hooks' });
    const status = (n: number) => ({ vehicle_id: `v-${n}`, status: 'moving' as const, since: '2026-12-05T00:00:00.000Z' });
    const hookRow = (id: string) => ({ id, fleet_id: fleet.id, url: receiverUrl, event_types: JSON.stringify(['vehicle_status']), secret: 'whsec_cached', created_at: new Date(platform.clock.now()) });
    expect(await dispatchWebhookEvent(platform, fleet.id, 'vehicle_status', status(1))).toEqual([]);
    // A row written straight into the table is not seen until the short-lived list is forgotten: the list is cached.
    await platform.db.kysely.insertInto('webhooks').values(hookRow('hook-behind-the-back')).execute();
    expect(await dispatchWebhookEvent(platform, fleet.id, 'vehicle_status', status(2))).toEqual([]);
    await forgetFleetWebhooks(platform, fleet.id);
    expect(await dispatchWebhookEvent(platform, fleet.id, 'vehicle_status', status(3))).toHaveLength(1);
    // Deleted behind the cache's back: the event is not delivered and nothing fails; the next event reads afresh.
    await platform.db.kysely.deleteFrom('webhooks').where('id', '=', 'hook-behind-the-back').execute();
    expect(await dispatchWebhookEvent(platform, fleet.id, 'vehicle_status', status(4))).toEqual([]);
    await platform.db.kysely.insertInto('webhooks').values(hookRow('hook-second')).execute();
    expect(await dispatchWebhookEvent(platform, fleet.id, 'vehicle_status', status(5))).toHaveLength(1);
    // Through the API (this owner's fleet): a created webhook gets the very next event, a deleted one none.
    const ownerFleet = ((await (await call('GET', '/api/v1/webhooks')).json()) as { data: { fleet_id: string }[] }).data[0].fleet_id;
    await dispatchWebhookEvent(platform, ownerFleet, 'vehicle_status', status(6));
    const created = (await (await call('POST', '/api/v1/webhooks', { url: receiverUrl, event_types: ['coaching_due'] })).json()) as { id: string };
    const sentTo = async () => (await platform.db.kysely.selectFrom('webhook_deliveries').select('id').where('webhook_id', '=', created.id).execute()).length;
    await dispatchWebhookEvent(platform, ownerFleet, 'coaching_due', { driver_id: 'd-1' } as never);
    expect(await sentTo()).toBe(1);
    expect((await call('DELETE', `/api/v1/webhooks/${created.id}`)).status).toBe(204);
    expect(await dispatchWebhookEvent(platform, ownerFleet, 'coaching_due', { driver_id: 'd-1' } as never)).toEqual([]);
  });
  it('does not keep a list read just before a webhook was created and stored just after it was forgotten', async () => {
    const fleet = await createFleet({ db: platform.db.kysely, clock: platform.clock, ids: platform.ids }, { name: 'Racing hooks' });
    let releaseSlowRead!: () => void;
    const slowRead = async () => {
      // Read before the webhook exists; answered only after the create route has forgotten the list.
      const before: Awaited<ReturnType<typeof activeHooks>> = [];
      await new Promise<void>((resolve) => (releaseSlowRead = resolve));
      return before;
    };
    const racing = activeHooks(platform, fleet.id, slowRead);
    await new Promise((r) => setTimeout(r, 0));
    await platform.db.kysely.insertInto('webhooks').values({ id: 'hook-raced', fleet_id: fleet.id, url: receiverUrl, event_types: JSON.stringify(['vehicle_status']), secret: 'whsec_raced', created_at: new Date(platform.clock.now()) }).execute();
    await forgetFleetWebhooks(platform, fleet.id);
    releaseSlowRead();
    expect(await racing).toEqual([]); // that event predates the webhook
    // The stale list it stored belongs to the old generation: the next event reads afresh and reaches the webhook.
    expect((await activeHooks(platform, fleet.id)).map((h) => h.id)).toEqual(['hook-raced']);
  });
});
