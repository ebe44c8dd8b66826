/**
 * The Node entry writes live-feed bytes straight to the socket: same headers, same events, same order, resume
 * without duplicates, and the subscription ends when the client leaves — on a real node:http server.
 */
import { connect, type AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { RESPONSE_ALREADY_SENT } from '@hono/node-server/utils/response';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectSse } from '../../e2e/support/sse-client.ts';
import { createTestPlatform, type TestPlatform } from '../../e2e/support/test-platform.ts';
import { loginForTest } from '../../e2e/support/test-sessions.ts';
import { createApp } from '../app.ts';
import { createFleet, createUser } from '../domain/provisioning.ts';
import { withDirectSse } from './node-sse.ts';
import { publishRaw } from '../../e2e/support/publish-raw.ts';

describe('live feed written directly to Node sockets', () => {
  let platform: TestPlatform;
  let server: ServerType;
  let base: string;
  let token: string;
  let fleetId: string;
  let ownerId: string;
  let subscriptions = 0;
  let sentDirectly = 0;

  beforeAll(async () => {
    platform = await createTestPlatform();
    // Count live subscriptions through the real bus, to see them end when clients leave.
    const subscribe = platform.bus.subscribe.bind(platform.bus);
    platform.bus.subscribe = async (stream, listener) => {
      const unsubscribe = await subscribe(stream, listener);
      subscriptions++;
      return () => {
        subscriptions--;
        unsubscribe();
      };
    };
    const app = createApp(platform, { live: { heartbeatMs: 60_000, maxDurationMs: 10_000 } });
    const deps = { db: platform.db.kysely, clock: platform.clock, ids: platform.ids };
    fleetId = (await createFleet(deps, { name: 'Direct' })).id;
    ownerId = (await createUser(deps, { fleetId, email: 'owner@direct.test', password: 'direct-pass-1', role: 'owner' })).id;
    token = await loginForTest(app, platform.clock, 'owner@direct.test', 'direct-pass-1');
    const direct = withDirectSse(app.fetch);
    server = serve({
      fetch: async (request, env) => {
        const response = await direct(request, env);
        if (response === RESPONSE_ALREADY_SENT) sentDirectly++;
        return response;
      },
      port: 0,
      hostname: '127.0.0.1',
    });
    await new Promise((resolve) => server.once('listening', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    await platform.close();
  });

  const open = (headers: Record<string, string> = {}) => fetch(`${base}/api/v1/live`, { headers: { authorization: `Bearer ${token}`, ...headers } });

  it('sends the app’s headers once, then replayed and live events in order, each once', async () => {
    const first = await publishRaw(platform.bus, fleetId, 'location_update', { n: 0 });
    // Enough replayed bytes that some are still queued in the Web stream when the socket takes over.
    for (let n = 1; n <= 300; n++) await publishRaw(platform.bus, fleetId, 'location_update', { n, pad: 'x'.repeat(200) });
    const res = await open({ 'last-event-id': first.id });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/event-stream');
    expect(res.headers.get('x-request-id')).toBeTruthy();
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('transfer-encoding')).toBe('chunked');
    const feed = collectSse(res);
    await feed.connected;
    for (let n = 301; n <= 310; n++) await publishRaw(platform.bus, fleetId, 'location_update', { n });
    expect(await feed.waitFor((events) => events.length >= 310, 5000)).toBe(true);
    await feed.close();
    expect(feed.events.map((e) => JSON.parse(e.data!).n)).toEqual(Array.from({ length: 310 }, (_, i) => i + 1));
    expect(sentDirectly).toBe(1);
  });

  it('ends the subscription when the client goes away', async () => {
    await expect.poll(() => subscriptions).toBe(0);
    const feed = collectSse(await open());
    await feed.connected;
    expect(subscriptions).toBe(1);
    await feed.close();
    await expect.poll(() => subscriptions, { timeout: 5000 }).toBe(0);
  });

  /** A live-feed request on a plain TCP socket: the exact bytes the server sends, until it closes or ends the body. */
  function rawLive(version: 'HTTP/1.1' | 'HTTP/1.0') {
    const socket = connect((server.address() as AddressInfo).port, '127.0.0.1');
    let received = Buffer.alloc(0);
    socket.on('data', (data: Buffer) => (received = Buffer.concat([received, data])));
    const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    socket.write(`GET /api/v1/live ${version}\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${token}\r\n\r\n`);
    const text = () => received.toString('latin1');
    const waitFor = (needle: string) => expect.poll(() => text().includes(needle), { timeout: 5000 }).toBe(true);
    return { text, waitFor, closed, destroy: () => socket.destroy() };
  }

  /** The body of a chunked response, checking that it is made of whole chunks only and ends with the last one. */
  function dechunk(body: string): string {
    let out = '';
    let rest = body;
    for (;;) {
      const line = rest.indexOf('\r\n');
      expect(line, 'a chunk size line').toBeGreaterThan(0);
      const size = parseInt(rest.slice(0, line), 16);
      expect(rest.slice(0, line)).toMatch(/^[0-9a-f]+$/);
      if (size === 0) {
        expect(rest.slice(line)).toBe('\r\n\r\n');
        return out;
      }
      out += rest.slice(line + 2, line + 2 + size);
      expect(rest.slice(line + 2 + size, line + 4 + size), 'the CRLF after a chunk').toBe('\r\n');
      rest = rest.slice(line + 4 + size);
    }
  }

  it('frames every write as an HTTP/1.1 chunk of its own, and ends the body with the last chunk', async () => {
    const live = rawLive('HTTP/1.1');
    await live.waitFor(': connected');
    await publishRaw(platform.bus, fleetId, 'location_update', { n: 'framed', text: 'é ✓' });
    await live.waitFor('framed');
    // A revoked user's stream ends from the server's side: the session_ended event, then the end of the body.
    await platform.bus.announceRevocation({ kind: 'user', id: ownerId });
    await live.waitFor('0\r\n\r\n');
    const [head, body] = [live.text().slice(0, live.text().indexOf('\r\n\r\n')), live.text().slice(live.text().indexOf('\r\n\r\n') + 4)];
    expect(head).toMatch(/^HTTP\/1\.1 200/);
    expect(head.toLowerCase()).toContain('transfer-encoding: chunked');
    const events = Buffer.from(dechunk(body), 'latin1').toString('utf8');
    expect(events).toContain(': connected\n\n');
    expect(events).toMatch(/event: location_update\ndata: \{"n":"framed","text":"é ✓",/);
    expect(events.endsWith('event: session_ended\ndata: {"reason":"credentials_revoked"}\n\n')).toBe(true);
    live.destroy();
  });

  it('sends an HTTP/1.0 client the events unframed, and closes the connection at the end', async () => {
    const live = rawLive('HTTP/1.0');
    await live.waitFor(': connected');
    await publishRaw(platform.bus, fleetId, 'location_update', { n: 'unframed' });
    await live.waitFor('unframed');
    await platform.bus.announceRevocation({ kind: 'user', id: ownerId });
    await live.closed;
    const text = live.text();
    const body = text.slice(text.indexOf('\r\n\r\n') + 4);
    expect(text.toLowerCase()).not.toContain('transfer-encoding: chunked');
    expect(body.startsWith('id: ') || body.startsWith(': connected')).toBe(true);
    expect(body).toMatch(/event: location_update\ndata: \{"n":"unframed",/);
    expect(body.endsWith('data: {"reason":"credentials_revoked"}\n\n')).toBe(true);
  });

  it('leaves every other response to @hono/node-server', async () => {
    const res = await fetch(`${base}/api/v1/health/live`);
    expect(res.status).toBeLessThan(500);
    expect(res.headers.get('content-type')).toContain('application/json');
    expect(sentDirectly).toBe(4);
  });
});
