/**
 * Webhooks as an attacker uses them (issue 13, blind SSRF by host name): a name that resolves to loopback must be
 * refused when registered and again before each send (DNS can change in between), the loopback receiver must get
 * nothing, and the owner's delivery log must not carry the target's status or error (no port probe). A public name
 * is sent to the very addresses that were checked. With private targets refused, as in production.
 */
import { createServer, type Server } from 'node:http';
import { hostname } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPlatform, type TestPlatform } from '../../e2e/support/test-platform.ts';
import { loginForTest } from '../../e2e/support/test-sessions.ts';
import { TARGET_REFUSED } from '../../jobs/deliver-webhook.ts';
import { jobHandlers } from '../../jobs/index.ts';
import { createNodeResolver } from '../adapters/resolver/node-resolver.ts';
import { createUnsupportedResolver } from '../adapters/resolver/unsupported-resolver.ts';
import { createApp } from '../app.ts';
import { createFleet, createUser } from '../domain/provisioning.ts';
import type { PinnedRequest, Resolver } from '../ports/resolver.ts';

describe('webhooks: targets by host name', () => {
  let platform: TestPlatform;
  let app: ReturnType<typeof createApp>;
  let owner: string;
  let fleetId: string;
  let receiver: Server;
  let port: number;
  const received: string[] = [];
  // The attacker's DNS: names answer from this table (the real resolver for the rest); sends pinned to a public
  // address are recorded instead of leaving the machine.
  const dns: Record<string, string[]> = {};
  const pinnedSends: PinnedRequest[] = [];
  const realResolver = createNodeResolver();
  const resolver: Resolver = {
    name: 'attacker-dns',
    resolve: async (host) => dns[host] ?? realResolver.resolve(host),
    async sendPinned(request) {
      if (request.addresses.includes('127.0.0.1')) return realResolver.sendPinned!(request);
      pinnedSends.push(request);
      return 204;
    },
  };

  const call = async (method: string, path: string, body?: unknown, on = app) => {
    const res = await on.request(path, { method, headers: { authorization: `Bearer ${owner}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
    return { status: res.status, body: (await res.json()) as any };
  };
  const register = (url: string, on = app) => call('POST', '/api/v1/webhooks', { url, event_types: ['new_alert'] }, on);
  /** A webhook row as if registered before the rule existed: only the send-time check stands in the way. */
  const storedWebhook = async (url: string) => {
    const id = platform.ids.next();
    await platform.db.kysely.insertInto('webhooks').values({ id, fleet_id: fleetId, url, event_types: JSON.stringify(['new_alert']), min_severity: null, secret: 'whsec_test', created_at: new Date(platform.clock.now()) }).execute();
    return id;
  };
  const pingAndRun = async (webhookId: string) => {
    const ping = await call('POST', `/api/v1/webhooks/${webhookId}/ping`);
    expect(ping.status).toBe(202);
    await platform.queue.runDue();
    const log = await call('GET', `/api/v1/webhooks/${webhookId}/deliveries`);
    return log.body.data[0] as { status: string; last_status_code: number | null; last_error: string | null };
  };

  beforeAll(async () => {
    platform = await createTestPlatform({ WEBHOOK_ALLOW_PRIVATE_TARGETS: 'false' });
    platform.resolver = resolver;
    app = createApp(platform);
    platform.queue.setHandlers(jobHandlers(platform));
    const deps = { db: platform.db.kysely, clock: platform.clock, ids: platform.ids };
    fleetId = (await createFleet(deps, { name: 'Probe' })).id;
    await createUser(deps, { fleetId, email: 'owner@probe.test', password: 'probe-password-1', role: 'owner' });
    owner = await loginForTest(app, platform.clock, 'owner@probe.test', 'probe-password-1');
    // The internal service the attacker wants to reach: it answers 200, which a probe would read back as "open".
    receiver = createServer((req, res) => {
      received.push(`${req.method} ${req.headers.host}${req.url}`);
      res.writeHead(200).end('internal admin console');
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    port = (receiver.address() as { port: number }).port;
  });
  afterAll(async () => {
    await new Promise((r) => receiver.close(r));
    await platform.close();
  });

  it('refuses at registration a name that resolves to 127.0.0.1, with a 400 naming url but not the address', async () => {
    dns['hooks.attacker.example'] = ['127.0.0.1'];
    const res = await register(`http://hooks.attacker.example:${port}/hook`);
    expect(res.status).toBe(400);
    expect(res.body.error.details[0]).toMatchObject({ path: 'url', reason: 'private_address' });
    expect(res.body.error.message).toMatch(/^url: hooks\.attacker\.example resolves to a loopback, private or link-local address/);
    expect(JSON.stringify(res.body)).not.toContain('127.0.0.1');
    // Through the operating system's resolver: localhost, and this machine's own name (often 127.0.x.1 in /etc/hosts).
    for (const name of ['localhost', hostname()]) {
      const real = await register(`http://${name}:${port}/hook`);
      expect(real.status, name).toBe(400);
      expect(real.body.error.details[0].path).toBe('url');
    }
    expect(received).toEqual([]);
  });

  it.each([
    'http://[::ffff:0:127.0.0.1]/',
    'http://[2002:7f00:1::]/',
    'http://[fec0::1]/',
    'http://localtest.me/',
    'http://127.0.0.1.nip.io/',
    'http://metadata/computeMetadata/v1/',
    'http://instance-data/latest/meta-data/',
    'http://kubernetes.default.svc/',
    'http://localhost6/',
  ])('refuses %s at registration', async (url) => {
    const res = await register(url);
    expect(res.status).toBe(400);
    expect(res.body.error.details[0].path).toBe('url');
  });

  it('refuses at send time a name that resolves inward since registration; the receiver gets nothing and the owner no status', async () => {
    dns['rebind.attacker.example'] = ['203.0.113.7'];
    const created = await register(`http://rebind.attacker.example:${port}/hook`);
    expect(created.status).toBe(201);
    dns['rebind.attacker.example'] = ['127.0.0.1'];
    const delivery = await pingAndRun(created.body.id);
    expect(delivery).toMatchObject({ status: 'failed', last_status_code: null, last_error: TARGET_REFUSED });
    expect(received).toEqual([]);
  });

  it('does not call a stored webhook whose name the real resolver maps to loopback', async () => {
    for (const name of [hostname(), 'localhost']) {
      const delivery = await pingAndRun(await storedWebhook(`http://${name}:${port}/hook`));
      expect(received, name).toEqual([]);
      expect(delivery, name).toMatchObject({ status: 'failed', last_status_code: null, last_error: TARGET_REFUSED });
    }
  });

  it('retries, without a status, a delivery whose name stopped resolving', async () => {
    dns['gone.partner.example'] = ['203.0.113.9'];
    const created = await register('https://gone.partner.example/taxiwatch');
    expect(created.status).toBe(201);
    dns['gone.partner.example'] = [];
    const delivery = await pingAndRun(created.body.id);
    expect(delivery).toMatchObject({ status: 'pending', last_status_code: null, last_error: 'not sent: the host name did not resolve' });
    expect(pinnedSends.some((r) => r.url.includes('gone.partner.example'))).toBe(false);
  });

  it('registers a public name resolving to public addresses and sends to exactly those addresses', async () => {
    dns['hooks.partner.example'] = ['203.0.113.7', '2606:4700:4700::1111'];
    const created = await register('https://hooks.partner.example/taxiwatch');
    expect(created.status).toBe(201);
    const delivery = await pingAndRun(created.body.id);
    expect(delivery).toMatchObject({ status: 'succeeded', last_status_code: 204, last_error: null });
    expect(pinnedSends.at(-1)).toMatchObject({ url: 'https://hooks.partner.example/taxiwatch', addresses: ['203.0.113.7', '2606:4700:4700::1111'], method: 'POST' });
    expect(pinnedSends.at(-1)!.headers['TaxiWatch-Event']).toBe('ping');
  });

  it('where names cannot be resolved (Workers), refuses them unless WEBHOOK_ALLOW_UNRESOLVED_NAMES; IP literals still work', async () => {
    const workers = createApp({ ...platform, resolver: createUnsupportedResolver() });
    const refused = await register('https://hooks.partner.example/taxiwatch', workers);
    expect(refused.status).toBe(400);
    expect(refused.body.error.details[0]).toMatchObject({ path: 'url', reason: 'unchecked_name' });
    expect(refused.body.error.message).toContain('WEBHOOK_ALLOW_UNRESOLVED_NAMES');
    expect((await register('https://203.0.113.7/taxiwatch', workers)).status).toBe(201);
    const allowing = createApp({ ...platform, resolver: createUnsupportedResolver(), config: { ...platform.config, WEBHOOK_ALLOW_UNRESOLVED_NAMES: true } });
    expect((await register('https://hooks.partner.example/taxiwatch', allowing)).status).toBe(201);
    expect((await register('http://metadata.google.internal/', allowing)).status).toBe(400);
  });
});
