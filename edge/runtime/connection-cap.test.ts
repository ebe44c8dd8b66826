/** The per-address connection cap on a plain node:http server: the extra connection is refused before the app sees it. */
import { createServer, type Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { capConnectionsPerAddress } from './connection-cap.ts';

/** A raw connection from a loopback address; resolves with everything the server sent once it closes or `ms` pass. */
function exchange(port: number, localAddress: string, send: string | null, ms = 2000) {
  const socket = connect({ port, host: '127.0.0.1', localAddress });
  let text = '';
  socket.on('data', (chunk) => (text += chunk.toString('latin1')));
  socket.on('error', () => {});
  const connected = new Promise<void>((resolve) => socket.once('connect', () => resolve()));
  const ended = new Promise<{ text: string; closed: boolean }>((resolve) => {
    const timer = setTimeout(() => resolve({ text, closed: false }), ms);
    socket.once('close', () => (clearTimeout(timer), resolve({ text, closed: true })));
  });
  if (send !== null) socket.write(send);
  return { socket, connected, ended, text: () => text };
}

const GET = 'GET / HTTP/1.1\r\nHost: x\r\n\r\n';

describe('capConnectionsPerAddress', () => {
  let server: Server;
  let handled = 0;
  const start = async (max: number) => {
    handled = 0;
    server = createServer((_req, res) => (handled++, res.end('ok')));
    const counts = capConnectionsPerAddress(server, max);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return { port: (server.address() as AddressInfo).port, counts };
  };
  afterEach(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('refuses the connection over the cap with a 429 in the common shape, without handling its request', async () => {
    const { port, counts } = await start(2);
    const held = [exchange(port, '127.0.0.3', GET), exchange(port, '127.0.0.3', GET)];
    await Promise.all(held.map((h) => h.connected));
    await waitFor(() => handled === 2);
    const started = Date.now();
    const extra = exchange(port, '127.0.0.3', GET);
    const { text, closed } = await extra.ended;
    expect(closed).toBe(true);
    expect(Date.now() - started).toBeLessThan(1500);
    expect(text).toMatch(/^HTTP\/1\.1 429 /);
    expect(JSON.parse(text.slice(text.indexOf('\r\n\r\n') + 4)).error).toMatchObject({ code: 'rate_limited', details: { reason: 'too_many_connections' } });
    expect(handled).toBe(2);
    expect(counts.get('127.0.0.3')).toBe(2);

    // Another address is served; and a closed connection frees its slot.
    const other = exchange(port, '127.0.0.4', GET);
    await waitFor(() => other.text().includes('ok'));
    held[0].socket.destroy();
    await waitFor(() => counts.get('127.0.0.3') === 1);
    const again = exchange(port, '127.0.0.3', GET);
    await waitFor(() => again.text().includes('ok'));
    for (const h of [...held, other, again]) h.socket.destroy();
    await waitFor(() => counts.size === 0);
  });

  it('does not cap with 0', async () => {
    const { port } = await start(0);
    const many = Array.from({ length: 5 }, () => exchange(port, '127.0.0.5', GET));
    await waitFor(() => handled === 5);
    for (const h of many) h.socket.destroy();
  });
});

async function waitFor(condition: () => boolean, timeoutMs = 3000) {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}
