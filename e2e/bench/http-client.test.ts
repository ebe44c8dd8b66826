import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpClient } from './http-client.ts';

let server: Server;
let baseUrl: string;
const remotePorts = new Set<number>();

async function readBody(req: IncomingMessage) {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

async function handle(req: IncomingMessage, res: ServerResponse) {
  remotePorts.add(req.socket.remotePort!);
  const body = await readBody(req);
  const path = req.url ?? '/';
  if (path === '/echo') {
    res.setHeader('content-type', 'application/json');
    return res.end(JSON.stringify({ method: req.method, bytes: body.byteLength, sum: body.reduce((a, b) => a + b, 0), type: req.headers['content-type'], auth: req.headers.authorization, port: req.socket.remotePort }));
  }
  if (path === '/chunked') {
    res.write('{"parts":');
    setTimeout(() => res.end('["a","ñ"]}'), 5);
    return;
  }
  if (path === '/empty') return res.writeHead(204).end();
  if (path === '/close') return res.writeHead(409, { connection: 'close' }).end('{"error":"closing"}');
  if (path === '/slow') return setTimeout(() => res.end('late'), 500);
  res.writeHead(404).end('{"error":"no route"}');
}

/** The client port the server saw the request come from: the same port, the same connection. */
const portOf = async (answer: Promise<{ body: string }>) => (JSON.parse((await answer).body) as { port: number }).port;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

beforeAll(async () => {
  server = createServer((req, res) => void handle(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

describe('the load generator HTTP client', () => {
  it('sends JSON and binary bodies with their headers and reads length-delimited answers', async () => {
    const client = createHttpClient(baseUrl);
    const json = await client.postJson('/echo', { hello: 'wörld' }, { authorization: 'Bearer k' });
    expect(json.status).toBe(200);
    expect(JSON.parse(json.body)).toMatchObject({ method: 'POST', bytes: 18, type: 'application/json', auth: 'Bearer k' });

    const image = new Uint8Array(300_000).map((_, i) => i % 251);
    const binary = await client.send('POST', '/echo', { 'content-type': 'image/jpeg' }, image);
    expect(JSON.parse(binary.body)).toMatchObject({ bytes: 300_000, sum: image.reduce((a, b) => a + b, 0), type: 'image/jpeg' });
    client.close();
  });

  it('reads chunked answers, bodiless ones and non-2xx ones', async () => {
    const client = createHttpClient(baseUrl);
    expect(await client.send('GET', '/chunked', {})).toEqual({ status: 200, body: '{"parts":["a","ñ"]}' });
    expect(await client.send('GET', '/empty', {})).toEqual({ status: 204, body: '' });
    expect(await client.send('GET', '/nowhere', {})).toEqual({ status: 404, body: '{"error":"no route"}' });
    client.close();
  });

  it('reuses one keep-alive connection for requests one after another, and opens more for requests at once', async () => {
    const client = createHttpClient(baseUrl);
    remotePorts.clear();
    for (let i = 0; i < 5; i++) expect((await client.postJson('/echo', { i })).status).toBe(200);
    expect(remotePorts.size).toBe(1);
    expect(client.connections()).toBe(1);

    remotePorts.clear();
    const answers = await Promise.all(Array.from({ length: 4 }, (_, i) => client.postJson('/echo', { i })));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200]);
    expect(client.connections()).toBe(4);
    expect(client.opened()).toBe(4);
    client.close();
  });

  it('reuses a connection idle for less than idleReuseMs, and closes one idle longer instead of reusing it', async () => {
    // The default (3 s) scaled down: 500 ms, against idle times of 100 and 700 ms.
    const client = createHttpClient(baseUrl, { idleReuseMs: 500 });
    const first = await portOf(client.postJson('/echo', {}));
    await sleep(100);
    expect(await portOf(client.postJson('/echo', {}))).toBe(first);
    expect(client.opened()).toBe(1);
    await sleep(700);
    expect(await portOf(client.postJson('/echo', {}))).not.toBe(first);
    expect(client.opened()).toBe(2);
    await sleep(20);
    expect(client.connections()).toBe(1);
    client.close();
  });

  it('gives each ownConnection() sender a connection no other sender uses, counted by the client', async () => {
    const client = createHttpClient(baseUrl);
    const [a, b] = [client.ownConnection(), client.ownConnection()];
    const aPort = await portOf(a.postJson('/echo', {}));
    // a's connection is idle, yet b and the client's own pool each open theirs.
    const bPort = await portOf(b.postJson('/echo', {}));
    const sharedPort = await portOf(client.postJson('/echo', {}));
    expect(new Set([aPort, bPort, sharedPort]).size).toBe(3);
    expect(await portOf(a.send('POST', '/echo', {}, ''))).toBe(aPort);
    expect(await portOf(b.postJson('/echo', {}))).toBe(bPort);
    expect(client.opened()).toBe(3);
    expect(client.connections()).toBe(3);
    client.close();
  });

  it('sends an ownConnection() sender\'s requests one at a time on its one connection, in the order asked', async () => {
    const client = createHttpClient(baseUrl);
    const unit = client.ownConnection();
    remotePorts.clear();
    const order: string[] = [];
    const started = performance.now();
    // /slow answers after 500 ms: the /echo asked at the same moment goes out only once that answer is in.
    const slow = unit.send('GET', '/slow', {}).then((a) => (order.push('slow'), a));
    const echo = unit.postJson('/echo', {}).then((a) => (order.push('echo'), a));
    await sleep(100);
    expect(client.connections()).toBe(1);
    expect((await slow).body).toBe('late');
    expect((await echo).status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(480);
    expect(order).toEqual(['slow', 'echo']);
    expect(remotePorts.size).toBe(1);
    expect(client.opened()).toBe(1);
    client.close();
  });

  it('goes on to the next request after one fails', async () => {
    const client = createHttpClient(baseUrl);
    const unit = client.ownConnection();
    const failed = unit.send('GET', '/slow', {}, undefined, 100);
    const next = unit.postJson('/echo', {});
    await expect(failed).rejects.toThrow('timeout after 100 ms');
    expect((await next).status).toBe(200);
    client.close();
  });

  it('opens a connection of its own for every request when asked, as the firmware does, and leaves none open', async () => {
    const client = createHttpClient(baseUrl, { connectionPerRequest: true });
    remotePorts.clear();
    for (let i = 0; i < 3; i++) expect((await client.postJson('/echo', { i })).status).toBe(200);
    const image = new Uint8Array(200_000).map((_, i) => i % 7);
    expect(JSON.parse((await client.send('POST', '/echo', { 'content-type': 'image/jpeg' }, image)).body)).toMatchObject({ bytes: 200_000 });
    expect(remotePorts.size).toBe(4);
    expect(client.opened()).toBe(4);
    await new Promise((r) => setTimeout(r, 20));
    expect(client.connections()).toBe(0);
    client.close();
  });

  it('drops a connection the server closes and carries on with a new one', async () => {
    const client = createHttpClient(baseUrl);
    expect(await client.send('POST', '/close', {}, '')).toEqual({ status: 409, body: '{"error":"closing"}' });
    await new Promise((r) => setTimeout(r, 20));
    expect(client.connections()).toBe(0);
    expect((await client.postJson('/echo', {})).status).toBe(200);
    client.close();
  });

  it('fails a request the server does not answer in time, without holding the connection', async () => {
    const client = createHttpClient(baseUrl);
    await expect(client.send('GET', '/slow', {}, undefined, 50)).rejects.toThrow('timeout after 50 ms');
    await new Promise((r) => setTimeout(r, 20));
    expect(client.connections()).toBe(0);
    expect((await client.postJson('/echo', {})).status).toBe(200);
    client.close();
  });

  it('fails when nothing listens', async () => {
    const client = createHttpClient('http://127.0.0.1:1');
    await expect(client.postJson('/echo', {})).rejects.toThrow(/ECONNREFUSED/);
  });
});
