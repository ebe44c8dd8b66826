import { once } from 'node:events';
import { connect, createServer as createTcpServer, type AddressInfo, type Socket } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../config.ts';
import { setKeepAliveTimeout } from './http-keep-alive.ts';

const servers: ServerType[] = [];
const sockets: Socket[] = [];

afterEach(() => {
  for (const socket of sockets.splice(0)) socket.destroy();
  for (const server of servers.splice(0)) server.close();
});

/** The app's way of serving (@hono/node-server) on 127.0.0.1, port 0, with the keep-alive time-out of `env`. */
async function start(env: Record<string, string>, serverOptions: Record<string, number> = {}) {
  const server = serve({ fetch: () => new Response('ok'), port: 0, hostname: '127.0.0.1', serverOptions });
  servers.push(server);
  setKeepAliveTimeout(server, loadConfig(env).HTTP_KEEP_ALIVE_S);
  if (!server.listening) await once(server, 'listening');
  return { server, port: (server.address() as AddressInfo).port };
}

/** A raw connection, as a unit's: one request at a time, each answer read whole before the next is sent. */
async function open(port: number) {
  const socket = connect({ port, host: '127.0.0.1' });
  sockets.push(socket);
  await once(socket, 'connect');
  const closed = once(socket, 'close').then(() => performance.now());
  const ask = () =>
    new Promise<string>((resolve, reject) => {
      let answer = '';
      const onData = (chunk: Buffer) => {
        answer += chunk.toString('latin1');
        if (!answer.endsWith('\r\n\r\nok')) return;
        socket.off('data', onData);
        resolve(answer);
      };
      socket.on('data', onData);
      socket.once('close', () => reject(new Error(`closed before the answer: ${JSON.stringify(answer)}`)));
      socket.write('GET / HTTP/1.1\r\nHost: edge\r\n\r\n');
    });
  return { socket, ask, closed, isOpen: () => !socket.destroyed && socket.readyState === 'open' };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('setKeepAliveTimeout (HTTP_KEEP_ALIVE_S)', () => {
  it('keeps idle connections 65 s by default, advertises it, and leaves Node\'s request time-outs as they are', async () => {
    const { server, port } = await start({});
    expect(server).toMatchObject({ keepAliveTimeout: 65_000, headersTimeout: 60_000, requestTimeout: 300_000 });
    const connection = await open(port);
    expect(await connection.ask()).toMatch(/\r\nKeep-Alive: timeout=65\r\n/i);
  });

  it('closes a connection idle for longer than the time-out (1 s; Node 20 adds 1 s of grace)', { timeout: 5000 }, async () => {
    const { port } = await start({ HTTP_KEEP_ALIVE_S: '1' });
    const connection = await open(port);
    await connection.ask();
    const answeredAt = performance.now();
    const idleMs = (await connection.closed) - answeredAt;
    expect(idleMs).toBeGreaterThanOrEqual(950);
    expect(idleMs).toBeLessThan(2600);
  });

  it('serves a second request on a connection idle for 1.5 s (HTTP_KEEP_ALIVE_S=3), though headers and request time-outs are shorter than the idle time', { timeout: 5000 }, async () => {
    // Idle time between requests does not count against headersTimeout or requestTimeout: they need not exceed the
    // keep-alive time-out. Checked every 100 ms here, so a wrongly counted idle time would close the connection.
    const { port } = await start({ HTTP_KEEP_ALIVE_S: '3' }, { headersTimeout: 500, requestTimeout: 1000, connectionsCheckingInterval: 100 });
    const connection = await open(port);
    expect(await connection.ask()).toMatch(/^HTTP\/1\.1 200 /);
    await sleep(1500);
    expect(connection.isOpen()).toBe(true);
    expect(await connection.ask()).toMatch(/^HTTP\/1\.1 200 /);
    // Those short time-outs are armed: a request whose head stalls mid-way is answered 408 within them.
    const stalled = await open(port);
    const answer = new Promise<string>((resolve) => stalled.socket.once('data', (chunk: Buffer) => resolve(chunk.toString('latin1'))));
    stalled.socket.write('GET / HTTP/1.1\r\nHost: edge\r\n');
    expect(await answer).toMatch(/^HTTP\/1\.1 408 /);
  });

  it('refuses a server that is not HTTP/1.1', () => {
    expect(() => setKeepAliveTimeout(createTcpServer(), 65)).toThrow('not an HTTP/1.1 server');
  });
});
