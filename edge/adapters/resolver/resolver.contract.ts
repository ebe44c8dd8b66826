/**
 * The Resolver port contract (ports/resolver.ts) as plain cases, so the same checks run under vitest on Node
 * (resolver.contract.test.ts) and inside Deno (deno-resolver.deno.test.ts). Each case throws on a violation.
 * The receivers are loopback node:http / node:tls servers, which both runtimes provide.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { createServer as createTlsServer } from 'node:tls';
import type { AddressInfo } from 'node:net';
import type { Resolver } from '../../ports/resolver.ts';

export interface ContractCase {
  name: string;
  run(resolver: Resolver, tls?: { key: string; cert: string }): Promise<void>;
}

function check(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(message);
}

async function withServer<T>(handler: (req: IncomingMessage, body: string) => { status: number; headers?: Record<string, string> } | null, use: (port: number, seen: Array<{ host?: string; body: string; headers: IncomingMessage['headers'] }>) => Promise<T>): Promise<T> {
  const seen: Array<{ host?: string; body: string; headers: IncomingMessage['headers'] }> = [];
  const server: Server = createServer(async (req, res) => {
    let body = '';
    for await (const chunk of req) body += chunk;
    seen.push({ host: req.headers.host, body, headers: req.headers });
    const answer = handler(req, body);
    if (answer) res.writeHead(answer.status, answer.headers).end('receiver text');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    return await use((server.address() as AddressInfo).port, seen);
  } finally {
    server.closeAllConnections?.();
    await new Promise((resolve) => server.close(resolve));
  }
}

const post = (url: string, addresses: string[], timeoutMs = 5_000) => ({ url, addresses, method: 'POST' as const, headers: { 'Content-Type': 'application/json', 'TaxiWatch-Event': 'ping' }, body: '{"hello":"ñ"}', timeoutMs });

/** Cases every resolving adapter (Node, Deno) must pass. */
export const resolvingCases: ContractCase[] = [
  {
    name: 'an IP literal resolves to itself',
    async run(resolver) {
      check(JSON.stringify(await resolver.resolve('203.0.113.7')) === '["203.0.113.7"]', 'IPv4 literal');
      check(JSON.stringify(await resolver.resolve('::1')) === '["::1"]', 'IPv6 literal');
    },
  },
  {
    name: 'localhost resolves to loopback addresses only',
    async run(resolver) {
      const addresses = await resolver.resolve('localhost');
      check(Array.isArray(addresses) && addresses.length > 0, `localhost gave ${JSON.stringify(addresses)}`);
      check(addresses.every((a) => a.startsWith('127.') || a === '::1'), `localhost gave ${JSON.stringify(addresses)}`);
    },
  },
  {
    name: 'a name that does not exist resolves to no address',
    async run(resolver) {
      const addresses = await resolver.resolve('no-such-host.invalid');
      check(Array.isArray(addresses) && addresses.length === 0, `gave ${JSON.stringify(addresses)}`);
    },
  },
  {
    name: 'sendPinned connects to the given address, keeping the name in Host, and answers the status',
    async run(resolver) {
      check(resolver.sendPinned, 'a resolving adapter sends pinned');
      await withServer(() => ({ status: 204 }), async (port, seen) => {
        // The name does not exist: only the pinned address can have carried the request.
        const status = await resolver.sendPinned!(post(`http://pinned-receiver.invalid:${port}/hooks?x=1`, ['127.0.0.1']));
        check(status === 204, `status ${status}`);
        check(seen.length === 1 && seen[0].host === `pinned-receiver.invalid:${port}`, `host ${seen[0]?.host}`);
        check(seen[0].body === '{"hello":"ñ"}' && seen[0].headers['taxiwatch-event'] === 'ping', 'body and headers arrive');
      });
    },
  },
  {
    name: 'sendPinned answers a redirect without following it',
    async run(resolver) {
      await withServer(() => ({ status: 302, headers: { location: 'http://127.0.0.1:1/elsewhere' } }), async (port, seen) => {
        const status = await resolver.sendPinned!(post(`http://pinned-receiver.invalid:${port}/`, ['127.0.0.1']));
        check(status === 302 && seen.length === 1, `status ${status}, ${seen.length} requests`);
      });
    },
  },
  {
    name: 'sendPinned rejects after timeoutMs when the receiver never answers',
    async run(resolver) {
      await withServer(() => null, async (port) => {
        const started = Date.now();
        const outcome = await resolver.sendPinned!(post(`http://pinned-receiver.invalid:${port}/`, ['127.0.0.1'], 300)).then(() => 'answered', () => 'rejected');
        const took = Date.now() - started;
        check(outcome === 'rejected' && took >= 250 && took < 5_000, `${outcome} after ${took} ms`);
      });
    },
  },
  {
    name: 'sendPinned over https names the URL host in TLS (SNI) and checks the certificate against it',
    async run(resolver, tls) {
      if (!tls) return; // needs a certificate: the runner passes one when openssl is present
      const names: string[] = [];
      const server = createTlsServer({ key: tls.key, cert: tls.cert, SNICallback: (name, cb) => (names.push(name), cb(null, undefined)) }, (socket) => socket.end());
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      try {
        const port = (server.address() as AddressInfo).port;
        const outcome = await resolver.sendPinned!(post(`https://pinned-receiver.example:${port}/`, ['127.0.0.1'])).then((s) => `answered ${s}`, (e: Error) => `rejected: ${e.message}`);
        // A self-signed certificate is not trusted: the client must refuse it, after naming the host.
        check(outcome.startsWith('rejected'), outcome);
        check(names.includes('pinned-receiver.example'), `SNI ${JSON.stringify(names)}`);
      } finally {
        await new Promise((resolve) => server.close(resolve));
      }
    },
  },
];

/** The adapter of a runtime without DNS. */
export const unsupportedCases: ContractCase[] = [
  {
    name: 'every name answers unsupported, and nothing is sent pinned',
    async run(resolver) {
      check((await resolver.resolve('localhost')) === 'unsupported', 'localhost');
      check((await resolver.resolve('hooks.example.com')) === 'unsupported', 'a public name');
      check(resolver.sendPinned === undefined, 'no sendPinned');
    },
  },
];
