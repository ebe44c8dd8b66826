/**
 * A TCP proxy in front of a test server that behaves like a bad cellular link and an overloaded edge, from a seeded
 * generator so a run can be repeated. Per connection it either passes it through, or:
 *   drop            — closes the connection as soon as it is accepted;
 *   answer503       — reads the whole request, answers 503 with Retry-After itself (the server never sees it);
 *   cutAfterForward — forwards the request, then cuts the connection as the server's answer starts: the server
 *                     has stored it, the client does not know (its retry must be recognised as a duplicate);
 *   cutMidRequest   — cuts the connection part-way through the request body (nothing may be stored).
 * It records the status of every answer the server gave, forwarded or not.
 */
import { createServer, connect, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { seededRandom } from '../../firmware/simulator/faults.ts';

export type ProxyFault = 'drop' | 'answer503' | 'cutAfterForward' | 'cutMidRequest';
export type FaultRates = Record<ProxyFault, number>;

export interface FlakyProxy {
  url: string;
  counts: Record<ProxyFault | 'pass', number>;
  /** Status of each answer the server sent, including those cut before they reached the client. */
  serverStatuses: number[];
  close(): Promise<void>;
}

const SERVICE_UNAVAILABLE = JSON.stringify({ error: { code: 'unavailable', message: 'proxy overloaded; retry later', details: { reason: 'proxy_overloaded' } } });

export async function startFlakyProxy(target: { host: string; port: number }, rates: FaultRates, seed: number): Promise<FlakyProxy> {
  const random = seededRandom(seed);
  const counts: FlakyProxy['counts'] = { pass: 0, drop: 0, answer503: 0, cutAfterForward: 0, cutMidRequest: 0 };
  const serverStatuses: number[] = [];
  const sockets = new Set<Socket>();

  const choose = (): ProxyFault | 'pass' => {
    let r = random();
    for (const fault of Object.keys(rates) as ProxyFault[]) {
      if (r < rates[fault]) return fault;
      r -= rates[fault];
    }
    return 'pass';
  };

  const server = createServer((client) => {
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    client.on('error', () => {});
    const fault = choose();
    counts[fault]++;
    if (fault === 'drop') return void client.destroy();
    if (fault === 'answer503') return answerBusy(client);
    const upstream = connect(target.port, target.host);
    sockets.add(upstream);
    upstream.on('close', () => {
      sockets.delete(upstream);
      client.destroy();
    });
    upstream.on('error', () => client.destroy());
    client.on('close', () => upstream.destroy());
    const cutAt = fault === 'cutMidRequest' ? 100 + Math.floor(random() * 4000) : Infinity;
    let forwarded = 0;
    client.on('data', (chunk: Buffer) => {
      if (forwarded >= cutAt) return;
      if (forwarded + chunk.length >= cutAt) {
        upstream.write(chunk.subarray(0, Math.max(0, cutAt - forwarded)), () => {
          upstream.destroy();
          client.destroy();
        });
        forwarded = cutAt;
        return;
      }
      forwarded += chunk.length;
      upstream.write(chunk);
    });
    let first = true;
    upstream.on('data', (chunk: Buffer) => {
      if (first) {
        first = false;
        const status = /^HTTP\/1\.[01] (\d{3})/.exec(chunk.toString('latin1', 0, 16));
        if (status) serverStatuses.push(Number(status[1]));
        if (fault === 'cutAfterForward' || fault === 'cutMidRequest') {
          upstream.destroy();
          client.destroy();
          return;
        }
      }
      client.write(chunk);
    });
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    counts,
    serverStatuses,
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** Reads the request head and as much body as Content-Length says, then answers 503 like an overloaded server. */
function answerBusy(client: Socket): void {
  let received = Buffer.alloc(0);
  client.on('data', (chunk: Buffer) => {
    received = Buffer.concat([received, chunk]);
    const end = received.indexOf('\r\n\r\n');
    if (end < 0) return;
    const length = Number(/\r\ncontent-length:\s*(\d+)/i.exec(received.toString('latin1', 0, end))?.[1] ?? 0);
    if (received.length < end + 4 + length) return;
    client.end(
      `HTTP/1.1 503 Service Unavailable\r\nRetry-After: 1\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(SERVICE_UNAVAILABLE)}\r\nConnection: close\r\n\r\n${SERVICE_UNAVAILABLE}`,
    );
  });
}
