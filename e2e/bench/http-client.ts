/** A lean keep-alive HTTP client for load generation (node:http, no fetch overhead): one call, one response. */
import { Agent, request } from 'node:http';

export interface HttpResult {
  status: number;
  body: string;
}

export function createHttpClient(baseUrl: string) {
  const url = new URL(baseUrl);
  // Idle sockets are closed by the client after 4 s, before Node's server closes them (keepAliveTimeout, 5 s): else,
  // under load, the client reuses a socket whose close it has not yet read and the request fails with ECONNRESET —
  // a failure of the load generator, not of the server.
  const agent = new Agent({ keepAlive: true, maxSockets: Infinity, timeout: 4000, scheduling: 'lifo' });
  const send = (method: string, path: string, headers: Record<string, string>, body?: string | Uint8Array, timeoutMs = 30_000) =>
    new Promise<HttpResult>((resolve, reject) => {
      const req = request(
        { host: url.hostname, port: url.port, method, path, agent, headers: body === undefined ? headers : { ...headers, 'content-length': String(Buffer.byteLength(body)) } },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
          res.on('error', reject);
        },
      );
      req.setTimeout(timeoutMs, () => req.destroy(new Error(`timeout after ${timeoutMs} ms`)));
      req.on('error', reject);
      req.end(body);
    });
  return {
    agent,
    send,
    postJson: (path: string, value: unknown, headers: Record<string, string> = {}) =>
      send('POST', path, { 'content-type': 'application/json', ...headers }, JSON.stringify(value)),
    close: () => agent.destroy(),
  };
}

export type HttpClient = ReturnType<typeof createHttpClient>;
