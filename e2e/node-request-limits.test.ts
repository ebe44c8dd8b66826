/**
 * The request limits on the real Node entry (edge/runtime/node.ts), with small configured limits so the test is
 * fast: a 50 MB chunked login is refused with 413 long before it has been read and the server's memory stays
 * flat; a body that stalls is a 408 within BODY_READ_TIMEOUT_MS; one address gets at most MAX_CONNECTIONS_PER_IP
 * connections (the next is refused at once, other addresses are still served) and keeps them alive HTTP_KEEP_ALIVE_S;
 * ordinary requests and the camera frame upload (its own, larger cap) still work.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sharedDataDir } from '../firmware/simulator/shared-data.ts';
import { parseExposition } from './support/prometheus-text.ts';
import { freePort, startProcess, waitForHttp, type RunningServer } from './support/spawn-server.ts';

const BODY_MAX_BYTES = 16 * 1024;
const BODY_READ_TIMEOUT_MS = 1500;
const MAX_CONNECTIONS_PER_IP = 4;
const METRICS_TOKEN = 'limits-scrape-token-0123456789';
const FLOOD_BYTES = 50 * 1024 * 1024;
const frame = readFileSync(join(sharedDataDir(), 'images/dashcam/udacity_lanelines_solidWhiteCurve.jpg'));

interface Reply {
  status: number;
  headers: string;
  body: string;
}

/** Parses the first HTTP response out of what a raw socket received (null until it is complete). */
function parseReply(text: string): Reply | null {
  const end = text.indexOf('\r\n\r\n');
  if (end < 0) return null;
  const headers = text.slice(0, end);
  const length = Number(/content-length:\s*(\d+)/i.exec(headers)?.[1] ?? 0);
  const body = text.slice(end + 4);
  if (Buffer.byteLength(body) < length) return null;
  return { status: Number(headers.split(' ')[1]), headers, body };
}

/** A raw connection (optionally from another loopback address) that collects what the server sends. */
function open(port: number, localAddress = '127.0.0.1') {
  const socket = connect({ port, host: '127.0.0.1', localAddress });
  let text = '';
  let closed = false;
  socket.on('data', (chunk) => (text += chunk.toString('latin1')));
  socket.on('error', () => {});
  const closedPromise = new Promise<void>((resolve) => socket.once('close', () => ((closed = true), resolve())));
  const connected = new Promise<void>((resolve) => socket.once('connect', () => resolve()));
  return {
    socket,
    connected,
    closed: closedPromise,
    isClosed: () => closed,
    reply: () => parseReply(text),
    async waitForReply(timeoutMs: number): Promise<Reply> {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const reply = parseReply(text);
        if (reply) return reply;
        if (Date.now() > deadline || (closed && !reply)) throw new Error(`no complete reply within ${timeoutMs} ms (closed: ${closed}): ${JSON.stringify(text.slice(0, 300))}`);
        await new Promise((r) => setTimeout(r, 10));
      }
    },
  };
}

const request = (method: string, path: string, headers: Record<string, string | number> = {}) =>
  `${method} ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\n${Object.entries(headers).map(([k, v]) => `${k}: ${v}\r\n`).join('')}\r\n`;

async function write(socket: Socket, data: string | Buffer): Promise<boolean> {
  if (socket.destroyed || socket.writableEnded) return false;
  if (socket.write(data)) return true;
  return new Promise((resolve) => {
    const done = (ok: boolean) => () => (socket.off('drain', onDrain), socket.off('close', onClose), resolve(ok));
    const onDrain = done(true);
    const onClose = done(false);
    socket.once('drain', onDrain);
    socket.once('close', onClose);
  });
}

describe('request limits on the Node server', () => {
  let server: RunningServer;
  let port: number;
  let dir: string;
  let deviceKey: string;

  const rss = async () => {
    const res = await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
    return parseExposition(await res.text()).value('taxiwatch_process_memory_bytes', { kind: 'rss' });
  };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'taxiwatch-limits-'));
    port = await freePort();
    server = startProcess(
      join(process.cwd(), 'node_modules/.bin/tsx'),
      ['edge/runtime/node.ts'],
      { DATA_DIR: dir, LOG_LEVEL: 'warn', METRICS_TOKEN, BODY_MAX_BYTES: String(BODY_MAX_BYTES), BODY_READ_TIMEOUT_MS: String(BODY_READ_TIMEOUT_MS), MAX_CONNECTIONS_PER_IP: String(MAX_CONNECTIONS_PER_IP) },
      port,
    );
    await waitForHttp(`${server.url}/api/v1/health/`, server, 150_000, [200]);
    // The demo fleet's device keys are printed once, on the start that created them.
    const key = /Device keys[\s\S]*?key (\S+)/.exec(server.output())?.[1];
    if (!key) throw new Error(`no demo device key in the output:\n${server.output()}`);
    deviceKey = key;
  }, 180_000);
  afterAll(async () => {
    await server?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('refuses a 50 MB chunked login with 413 without reading it, and its memory stays flat', { timeout: 60_000 }, async () => {
    const before = await rss();
    const client = open(port);
    await client.connected;
    await write(client.socket, request('POST', '/api/v1/auth/login', { 'content-type': 'application/json', 'transfer-encoding': 'chunked' }));
    const chunk = Buffer.concat([Buffer.from('10000\r\n'), Buffer.alloc(0x10000, 0x20), Buffer.from('\r\n')]);
    const started = Date.now();
    let sent = 0;
    let sentWhenAnswered = -1;
    while (sent < FLOOD_BYTES) {
      if (sentWhenAnswered < 0 && client.reply()) sentWhenAnswered = sent;
      if (!(await write(client.socket, chunk))) break;
      sent += 0x10000;
    }
    if (sent >= FLOOD_BYTES) await write(client.socket, '0\r\n\r\n');
    const reply = await client.waitForReply(10_000);
    if (sentWhenAnswered < 0) sentWhenAnswered = sent;
    await client.closed;
    expect(reply.status).toBe(413);
    expect(JSON.parse(reply.body).error).toMatchObject({ code: 'payload_too_large', details: { max_bytes: BODY_MAX_BYTES } });
    expect(Date.now() - started).toBeLessThan(10_000);
    // Answered after about the cap, and the connection closed instead of the rest being read.
    expect(sentWhenAnswered).toBeLessThan(16 * 1024 * 1024);
    expect(sent).toBeLessThan(FLOOD_BYTES);
    console.log(`50 MB chunked login: answered ${reply.status} after ${sentWhenAnswered} bytes written, ${sent} written in all before the server closed, ${Date.now() - started} ms`);
    const grown = (await rss()) - before;
    console.log(`server RSS grew by ${(grown / 1024 / 1024).toFixed(1)} MB`);
    expect(grown).toBeLessThan(30 * 1024 * 1024);
  });

  it('refuses a login whose Content-Length is over the cap at once', async () => {
    const client = open(port);
    await client.connected;
    await write(client.socket, request('POST', '/api/v1/auth/login', { 'content-type': 'application/json', 'content-length': FLOOD_BYTES }));
    await write(client.socket, Buffer.alloc(1024, 0x20));
    const reply = await client.waitForReply(3000);
    expect(reply.status).toBe(413);
    expect(JSON.parse(reply.body).error.code).toBe('payload_too_large');
    await client.closed;
  });

  it('answers 408 when a JSON body stalls, within BODY_READ_TIMEOUT_MS', { timeout: 20_000 }, async () => {
    const client = open(port);
    await client.connected;
    const started = Date.now();
    await write(client.socket, request('POST', '/api/v1/auth/login', { 'content-type': 'application/json', 'content-length': 200 }) + '{"email":"a');
    const reply = await client.waitForReply(BODY_READ_TIMEOUT_MS + 3000);
    const elapsed = Date.now() - started;
    expect(reply.status).toBe(408);
    expect(JSON.parse(reply.body).error.code).toBe('request_timeout');
    expect(elapsed).toBeGreaterThanOrEqual(BODY_READ_TIMEOUT_MS - 50);
    expect(elapsed).toBeLessThan(BODY_READ_TIMEOUT_MS + 2000);
    await client.closed;
  });

  it(`refuses connection ${MAX_CONNECTIONS_PER_IP + 1} from one address at once, and serves other addresses`, { timeout: 20_000 }, async () => {
    // From 127.0.0.2, so this test's own earlier connections (from 127.0.0.1) do not count.
    const held = Array.from({ length: MAX_CONNECTIONS_PER_IP }, () => open(port, '127.0.0.2'));
    await Promise.all(held.map((c) => c.connected));
    // Each held connection is a real, answered, kept-alive HTTP connection.
    for (const c of held) await write(c.socket, request('GET', '/api/v1/health'));
    const answers = await Promise.all(held.map((c) => c.waitForReply(5000)));
    expect(answers.map((a) => a.status)).toEqual(held.map(() => expect.any(Number)));
    expect(answers.every((a) => a.status !== 429)).toBe(true);
    // Kept alive for HTTP_KEEP_ALIVE_S (65 s by default, longer than units reuse an idle connection), as advertised.
    expect(answers[0].headers).toMatch(/^keep-alive: timeout=65\r?$/im);

    const extra = open(port, '127.0.0.2');
    const started = Date.now();
    await extra.connected;
    await write(extra.socket, request('GET', '/api/v1/health'));
    const refused = await extra.waitForReply(2000);
    expect(refused.status).toBe(429);
    expect(JSON.parse(refused.body).error).toMatchObject({ code: 'rate_limited', details: { reason: 'too_many_connections' } });
    await extra.closed;
    expect(Date.now() - started).toBeLessThan(1500);

    // Another address is unaffected; and once one connection closes, the address may open another.
    expect((await fetch(`${server.url}/api/v1/health/`)).status).toBe(200);
    held[0].socket.destroy();
    await held[0].closed;
    await new Promise((r) => setTimeout(r, 50));
    const again = open(port, '127.0.0.2');
    await again.connected;
    await write(again.socket, request('GET', '/api/v1/health', { connection: 'close' }));
    expect((await again.waitForReply(3000)).status).not.toBe(429);
    for (const c of [...held, again]) c.socket.destroy();
  });

  it('still serves ordinary requests, and the frame upload keeps its own larger cap', async () => {
    const login = await fetch(`${server.url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'nobody@taxiwatch.local', password: 'wrong-password-1' }) });
    expect(login.status).toBe(401);
    expect(frame.length).toBeGreaterThan(BODY_MAX_BYTES);
    const upload = await fetch(`${server.url}/api/v1/video/frames/upload`, { method: 'POST', headers: { authorization: `Bearer ${deviceKey}`, 'content-type': 'image/jpeg' }, body: frame });
    expect(upload.status, await upload.clone().text()).toBe(202);
  });
});
