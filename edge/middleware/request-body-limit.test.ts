/**
 * The body cap and time-out on every route, through the assembled app with small configured limits: a login over
 * the cap is refused without reading it (Content-Length or chunked), a stalled or trickling body is a 408, small
 * bodies pass, and the device routes keep their own caps (a frame and a fix batch may be larger than BODY_MAX_BYTES).
 */
import { readFileSync } from 'node:fs';
import { connect, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPlatform, type TestPlatform } from '../../e2e/support/test-platform.ts';
import { sharedDataDir } from '../../firmware/simulator/shared-data.ts';
import { createApp } from '../app.ts';
import { createDevice, createFleet, createUser, createVehicle } from '../domain/provisioning.ts';

const MAX = 4096;
const TIMEOUT_MS = 300;
const frame = new Uint8Array(readFileSync(join(sharedDataDir(), 'images/dashcam/udacity_lanelines_solidWhiteCurve.jpg')));

const FLOOD_BYTES = 50 * 1024 * 1024;

/** A 50 MB body of spaces; counts the chunks the server pulled from it. */
function flood(chunkBytes: number) {
  const stats = { pulled: 0 };
  const stream = new ReadableStream<Uint8Array>({
    pull(c) {
      if (stats.pulled * chunkBytes >= FLOOD_BYTES) return c.close();
      stats.pulled++;
      c.enqueue(new Uint8Array(chunkBytes).fill(0x20));
    },
  });
  return { stream, stats };
}

/** Sends `head`, then nothing more (or a byte every `trickleMs`), and never closes. */
function stalled(head: string, trickleMs?: number) {
  let timer: ReturnType<typeof setInterval> | undefined;
  const stream = new ReadableStream<Uint8Array>({
    start(c) {
      c.enqueue(new TextEncoder().encode(head));
      if (trickleMs) timer = setInterval(() => c.enqueue(new Uint8Array([0x20])), trickleMs);
    },
    cancel: () => clearInterval(timer),
  });
  return { stream, stop: () => clearInterval(timer) };
}

describe('request body limits (BODY_MAX_BYTES, BODY_READ_TIMEOUT_MS)', () => {
  let platform: TestPlatform;
  let app: ReturnType<typeof createApp>;
  let deviceKey: string;
  let vehicleId: string;

  const post = (path: string, body: BodyInit, headers: Record<string, string> = {}) =>
    app.request(path, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body, duplex: 'half' } as RequestInit);

  beforeAll(async () => {
    platform = await createTestPlatform({ BODY_MAX_BYTES: String(MAX), BODY_READ_TIMEOUT_MS: String(TIMEOUT_MS) });
    app = createApp(platform);
    const deps = { db: platform.db.kysely, clock: platform.clock, ids: platform.ids };
    const fleetId = (await createFleet(deps, { name: 'Limits' })).id;
    await createUser(deps, { fleetId, email: 'owner@limits.test', password: 'limits-pass-1', role: 'owner' });
    vehicleId = (await createVehicle(deps, { fleetId, plate: 'LM-1' })).id;
    deviceKey = (await createDevice(deps, { vehicleId })).key;
  });
  afterAll(() => platform.close());

  it('refuses a login whose Content-Length is over the cap before reading any of it', async () => {
    const { stream, stats } = flood(65536);
    const res = await post('/api/v1/auth/login', stream, { 'content-length': String(FLOOD_BYTES) });
    const body = await res.json();
    expect(res.status).toBe(413);
    expect(body.error).toMatchObject({ code: 'payload_too_large', details: { max_bytes: MAX } });
    expect(body.requestId).toEqual(expect.any(String));
    expect(stats.pulled).toBeLessThanOrEqual(1); // the stream's initial pull, nothing consumed
  });

  it('stops reading a chunked login at the first chunk past the cap', async () => {
    const { stream, stats } = flood(1024);
    const res = await post('/api/v1/auth/login', stream);
    expect(res.status).toBe(413);
    expect((await res.json()).error.code).toBe('payload_too_large');
    expect(stats.pulled * 1024).toBeLessThanOrEqual(MAX + 3 * 1024);
  });

  it('applies to every route with a body, authenticated or not', async () => {
    const big = JSON.stringify({ name: 'x'.repeat(MAX) });
    for (const path of ['/api/v1/auth/refresh', '/api/v1/fleets', '/api/v1/no-such-route']) {
      const res = await post(path, big);
      expect(res.status, path).toBe(413);
      expect((await res.json()).error.code).toBe('payload_too_large');
    }
  });

  it('answers 408 when the body stalls, within the configured time-out', async () => {
    const { stream } = stalled('{"email":"owner@limits.test","pass');
    const started = Date.now();
    const res = await post('/api/v1/auth/login', stream);
    const elapsed = Date.now() - started;
    expect(res.status).toBe(408);
    const error = (await res.json()).error;
    expect(error.code).toBe('request_timeout');
    expect(['body_stalled', 'body_too_slow']).toContain(error.details.reason);
    expect(elapsed).toBeGreaterThanOrEqual(TIMEOUT_MS - 20);
    expect(elapsed).toBeLessThan(TIMEOUT_MS + 1000);
  });

  it('answers 408 when the body trickles (a byte now and then) past the time-out', async () => {
    const { stream, stop } = stalled('{"email":', 50);
    const started = Date.now();
    const res = await post('/api/v1/auth/login', stream);
    stop();
    expect(res.status).toBe(408);
    expect((await res.json()).error.details.reason).toBe('body_too_slow');
    expect(Date.now() - started).toBeLessThan(TIMEOUT_MS + 1000);
  });

  it('lets bodies under the cap through to the handler, chunked or not', async () => {
    const credentials = JSON.stringify({ email: 'owner@limits.test', password: 'limits-pass-1' });
    const ok = await post('/api/v1/auth/login', credentials);
    expect(ok.status).toBe(200);
    expect((await ok.json()).access_token).toEqual(expect.any(String));
    const chunked = new ReadableStream<Uint8Array>({
      start(c) {
        c.enqueue(new TextEncoder().encode(credentials.slice(0, 10)));
        c.enqueue(new TextEncoder().encode(credentials.slice(10)));
        c.close();
      },
    });
    expect((await post('/api/v1/auth/login', chunked)).status).toBe(200);
    const wrong = await post('/api/v1/auth/login', JSON.stringify({ email: 'owner@limits.test', password: 'wrong-password' }));
    expect(wrong.status).toBe(401);
  });

  it('keeps the device routes’ own caps: a frame and a fix batch may be larger than BODY_MAX_BYTES', async () => {
    expect(frame.length).toBeGreaterThan(MAX);
    const stored = await post('/api/v1/video/frames/upload', frame, { 'content-type': 'image/jpeg', authorization: `Bearer ${deviceKey}` });
    expect(stored.status, await stored.clone().text()).toBe(202);
    const at = (s: number) => new Date(platform.clock.now() - 600_000 + s * 1000).toISOString();
    const fixes = Array.from({ length: 100 }, (_, s) => ({ latitude: 40.4 + s / 10_000, longitude: -3.7, speed: 30, heading: 90, timestamp: at(s) }));
    const batch = JSON.stringify({ vehicle_id: vehicleId, fixes });
    expect(batch.length).toBeGreaterThan(MAX);
    const res = await post('/api/v1/tracking/location', batch, { authorization: `Bearer ${deviceKey}` });
    expect(res.status, await res.clone().text()).toBe(202);
  });

  it('reads a body with a Content-Length in one piece: it reaches the handler, a short one is refused, a stalled one times out', async () => {
    const credentials = JSON.stringify({ email: 'owner@limits.test', password: 'limits-pass-1' });
    const declared = { 'content-length': String(new TextEncoder().encode(credentials).byteLength) };
    const ok = await post('/api/v1/auth/login', credentials, declared);
    expect(ok.status).toBe(200);
    const short = await post('/api/v1/auth/login', credentials.slice(0, 10), declared);
    expect(short.status).toBe(400);
    expect((await short.json()).error.details).toMatchObject({ reason: 'body_incomplete', received_bytes: 10 });
    const started = Date.now();
    const stalledLogin = await post('/api/v1/auth/login', stalled(credentials.slice(0, 10)).stream, declared);
    expect(stalledLogin.status).toBe(408);
    expect((await stalledLogin.json()).error.details.reason).toBe('body_stalled');
    expect(Date.now() - started).toBeLessThan(TIMEOUT_MS + 1000);
  });

  it('on a real Node server, hands a device batch with a Content-Length to its handler, and answers 408 to one shorter than it', async () => {
    const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
    await new Promise<void>((resolve) => (server.listening ? resolve() : server.once('listening', () => resolve())));
    const { port } = server.address() as AddressInfo;
    const raw = (head: string, body: string) =>
      new Promise<string>((resolve, reject) => {
        const socket = connect(port, '127.0.0.1');
        let text = '';
        const guard = setTimeout(() => (socket.destroy(), resolve(text)), 5000);
        socket.on('data', (chunk) => (text += chunk.toString('latin1')));
        socket.on('error', reject);
        socket.on('close', () => (clearTimeout(guard), resolve(text)));
        socket.write(head + body);
        if (!head.includes('Connection: close')) setTimeout(() => socket.end(), 2000);
      });
    try {
      const at = new Date(platform.clock.now() - 60_000).toISOString();
      const batch = JSON.stringify({ fixes: [{ latitude: 40.41, longitude: -3.7, speed: 20, heading: 0, timestamp: at }] });
      const head = (length: number) =>
        `POST /api/v1/tracking/location HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${deviceKey}\r\nContent-Type: application/json\r\nContent-Length: ${length}\r\nConnection: close\r\n\r\n`;
      const stored = await raw(head(batch.length), batch);
      expect(stored).toMatch(/^HTTP\/1\.1 202 /);
      expect(JSON.parse(stored.slice(stored.indexOf('\r\n\r\n') + 4))).toMatchObject({ stored: 1, duplicates: 0 });
      const started = Date.now();
      const cut = await raw(head(batch.length).replace('Connection: close\r\n', ''), batch.slice(0, 20));
      expect(cut).toMatch(/^HTTP\/1\.1 408 /);
      expect(JSON.parse(cut.slice(cut.indexOf('\r\n\r\n') + 4)).error.details.reason).toBe('body_stalled');
      expect(Date.now() - started).toBeLessThan(TIMEOUT_MS + 1500);
    } finally {
      (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
