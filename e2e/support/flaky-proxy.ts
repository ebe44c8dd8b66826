/**
 * A TCP proxy in front of a test server that behaves like a bad cellular link and an overloaded edge, from a seeded
 * generator so a run can be repeated. Per request — each one a client sends, on a new connection or on one kept open
 * since its last answer — it either passes it through, or:
 *   drop            — closes the connection as the request arrives (on a kept connection: what a client sees when
 *                     the server closed it while idle);
 *   answer503       — reads the whole request, answers 503 with Retry-After itself (the server never sees it);
 *   cutAfterForward — forwards the request, then cuts the connection as the server's answer starts: the server
 *                     has stored it, the client does not know (its retry must be recognised as a duplicate);
 *   cutMidRequest   — cuts the connection part-way through the request body (nothing may be stored).
 * A request starts with the first bytes the client sends after the last answer began: clients that wait for an
 * answer before the next request (the firmware does) are judged request by request.
 * It records the status of every answer the server gave, forwarded or not, and how many connections it accepted.
 */
import { createServer, connect, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { seededRandom } from '../../firmware/simulator/faults.ts';

export type ProxyFault = 'drop' | 'answer503' | 'cutAfterForward' | 'cutMidRequest';
export type FaultRates = Record<ProxyFault, number>;

export interface FlakyProxy {
  url: string;
  counts: Record<ProxyFault | 'pass', number>;
  /** Connections accepted from clients. */
  connections(): number;
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

  let accepted = 0;
  const server = createServer((client) => {
    accepted++;
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    client.on('error', () => {});
    let upstream: Socket | null = null;
    let fault: ProxyFault | 'pass' | null = null; // of the request in progress; null before the first
    let answered = false; // the server's answer to it has begun: the client's next bytes are a new request
    let busy: ((chunk: Buffer) => void) | null = null;
    let forwarded = 0;
    let cutAt = Infinity;

    const toServer = (): Socket => {
      if (upstream) return upstream;
      const socket = connect(target.port, target.host);
      upstream = socket;
      sockets.add(socket);
      socket.on('close', () => {
        sockets.delete(socket);
        client.destroy();
      });
      socket.on('error', () => client.destroy());
      client.on('close', () => socket.destroy());
      socket.on('data', (chunk: Buffer) => {
        if (!answered) {
          answered = true;
          const status = /^HTTP\/1\.[01] (\d{3})/.exec(chunk.toString('latin1', 0, 16));
          if (status) serverStatuses.push(Number(status[1]));
          if (fault === 'cutAfterForward' || fault === 'cutMidRequest') {
            socket.destroy();
            client.destroy();
            return;
          }
        }
        client.write(chunk);
      });
      return socket;
    };

    client.on('data', (chunk: Buffer) => {
      if (fault === null || answered) {
        fault = choose();
        counts[fault]++;
        answered = false;
        forwarded = 0;
        cutAt = fault === 'cutMidRequest' ? 100 + Math.floor(random() * 4000) : Infinity;
        if (fault === 'drop') {
          upstream?.destroy();
          return void client.destroy();
        }
        busy = fault === 'answer503' ? answerBusy(client) : null; // its close ends the connection to the server too
      }
      if (busy) return busy(chunk);
      const socket = toServer();
      if (forwarded >= cutAt) return;
      if (forwarded + chunk.length >= cutAt) {
        socket.write(chunk.subarray(0, Math.max(0, cutAt - forwarded)), () => {
          socket.destroy();
          client.destroy();
        });
        forwarded = cutAt;
        return;
      }
      forwarded += chunk.length;
      socket.write(chunk);
    });
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    counts,
    connections: () => accepted,
    serverStatuses,
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/**
 * Takes a request's bytes as they come: once the head and as much body as Content-Length says have arrived, answers
 * 503 like an overloaded server and closes.
 */
function answerBusy(client: Socket): (chunk: Buffer) => void {
  let received = Buffer.alloc(0);
  let done = false;
  return (chunk) => {
    if (done) return;
    received = Buffer.concat([received, chunk]);
    const end = received.indexOf('\r\n\r\n');
    if (end < 0) return;
    const length = Number(/\r\ncontent-length:\s*(\d+)/i.exec(received.toString('latin1', 0, end))?.[1] ?? 0);
    if (received.length < end + 4 + length) return;
    done = true;
    client.end(
      `HTTP/1.1 503 Service Unavailable\r\nRetry-After: 1\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(SERVICE_UNAVAILABLE)}\r\nConnection: close\r\n\r\n${SERVICE_UNAVAILABLE}`,
    );
  };
}
