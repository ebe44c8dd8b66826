/**
 * A lean keep-alive HTTP/1.1 client for load generation: raw `node:net` sockets, the request written as one head
 * string and the body, the answer parsed just far enough to know its status and where its body ends.
 *
 * Why not `node:http`: the load generator shares the machine's cores with the server it measures. At 5,000 taxis
 * `node:http`'s client (ClientRequest, IncomingMessage, header objects, the agent's bookkeeping and events) took
 * about 0.4 of a core away from the server; what the server measures should not depend on the client's overhead.
 *
 * Same pool semantics as an `http.Agent` with `maxSockets: Infinity` and LIFO scheduling: a request takes the most
 * recently freed idle connection, or opens a new one when none is idle. One request at a time per connection.
 * `connectionPerRequest`: every request opens its own connection and asks the server to close it (`Connection:
 * close`), as the camera firmware did before it kept its connection open. `ownConnection()`: a sender with one
 * connection of its own and one request at a time, the others waiting their turn, for one simulated unit that keeps
 * its connection between sends, as the keep-alive firmware does (its one upload session sends, then waits for the
 * answer or its time-out, then sends the next).
 */
import { connect, type Socket } from 'node:net';

export interface HttpResult {
  status: number;
  body: string;
}

// By default a connection idle for 3 s is not reused but closed, well before a server on Node's default closes it
// (keepAliveTimeout, 5 s): else, under load, the client reuses a connection whose close it has not yet read and the
// request fails with ECONNRESET or "socket hang up" — a failure of the load generator, not of the server. A server
// known to keep connections longer (HTTP_KEEP_ALIVE_S, 65 s for the app) allows a longer `idleReuseMs`. Checked when
// a connection is taken rather than by a timer per socket (a timer fired late under load, and refreshing it costs on
// every read and write); a connection never taken again is closed by the server, and its close removes it from its pool.
export const DEFAULT_IDLE_REUSE_MS = 3000;
const CRLF2 = Buffer.from('\r\n\r\n');

interface Exchange {
  resolve: (result: HttpResult) => void;
  reject: (error: Error) => void;
  timer: ReturnType<typeof setTimeout>;
}

/** What a response head says about its body. */
interface Head {
  status: number;
  bodyStart: number;
  contentLength: number | null;
  chunked: boolean;
  close: boolean;
}

function parseHead(buffer: Buffer, end: number): Head {
  const text = buffer.toString('latin1', 0, end);
  const lines = text.split('\r\n');
  const status = Number(lines[0].split(' ')[1]);
  let contentLength: number | null = null;
  let chunked = false;
  let close = false;
  for (let i = 1; i < lines.length; i++) {
    const colon = lines[i].indexOf(':');
    const name = lines[i].slice(0, colon).trim().toLowerCase();
    const value = lines[i].slice(colon + 1).trim().toLowerCase();
    if (name === 'content-length') contentLength = Number(value);
    else if (name === 'transfer-encoding') chunked = value.includes('chunked');
    else if (name === 'connection') close = value.includes('close');
  }
  // 1xx, 204 and 304 answers have no body whatever their headers say.
  if (status === 204 || status === 304 || (status >= 100 && status < 200)) contentLength = 0;
  return { status, bodyStart: end + 4, contentLength, chunked, close };
}

/** The body of a complete chunked message from `start`, or null while chunks are still missing. */
function dechunk(buffer: Buffer, start: number): Buffer | null {
  const parts: Buffer[] = [];
  let at = start;
  for (;;) {
    const lineEnd = buffer.indexOf('\r\n', at);
    if (lineEnd === -1) return null;
    const size = parseInt(buffer.toString('latin1', at, lineEnd), 16);
    if (size === 0) {
      // No trailers from our servers: the last chunk is followed by one empty line.
      if (buffer.length < lineEnd + 4) return null;
      return Buffer.concat(parts);
    }
    if (buffer.length < lineEnd + 2 + size + 2) return null;
    parts.push(buffer.subarray(lineEnd + 2, lineEnd + 2 + size));
    at = lineEnd + 2 + size + 2;
  }
}

export interface HttpClientOptions {
  connectionPerRequest?: boolean;
  /** A connection idle this long or longer is closed instead of reused (default DEFAULT_IDLE_REUSE_MS). */
  idleReuseMs?: number;
}

export function createHttpClient(baseUrl: string, options: HttpClientOptions = {}) {
  const url = new URL(baseUrl);
  const port = Number(url.port || 80);
  const hostHeader = `Host: ${url.host}\r\n`;
  const idleReuseMs = options.idleReuseMs ?? DEFAULT_IDLE_REUSE_MS;
  const open = new Set<Connection>();
  let opened = 0;

  class Connection {
    readonly socket: Socket;
    private received: Buffer = Buffer.alloc(0);
    private head: Head | null = null;
    private exchange: Exchange | null = null;
    idleSince = 0;

    /** `pool`: the idle list this connection returns to between requests (the client's, or one sender's own). */
    constructor(private readonly pool: Connection[]) {
      this.socket = connect({ host: url.hostname, port, noDelay: true });
      opened += 1;
      open.add(this);
      this.socket.on('data', (chunk: Buffer) => this.onData(chunk));
      this.socket.on('error', (error) => this.fail(error));
      this.socket.on('close', () => this.onClose());
    }

    send(head: string, body: Uint8Array | undefined, exchange: Exchange) {
      this.exchange = exchange;
      this.received = Buffer.alloc(0);
      this.head = null;
      this.socket.cork();
      this.socket.write(head, 'latin1');
      if (body && body.byteLength > 0) this.socket.write(body);
      this.socket.uncork();
    }

    private onData(chunk: Buffer) {
      if (!this.exchange) return; // nothing asked: a stray byte after an answer
      this.received = this.received.length === 0 ? chunk : Buffer.concat([this.received, chunk]);
      if (!this.head) {
        const end = this.received.indexOf(CRLF2);
        if (end === -1) return;
        this.head = parseHead(this.received, end);
      }
      const { bodyStart, contentLength, chunked } = this.head;
      let body: Buffer;
      if (chunked) {
        const whole = dechunk(this.received, bodyStart);
        if (!whole) return;
        body = whole;
      } else if (contentLength !== null) {
        if (this.received.length < bodyStart + contentLength) return;
        body = this.received.subarray(bodyStart, bodyStart + contentLength);
      } else {
        return; // the body runs until the server closes the connection (onClose)
      }
      this.finish(body, this.head.close);
    }

    private finish(body: Buffer, close: boolean) {
      const exchange = this.exchange!;
      const status = this.head!.status;
      this.exchange = null;
      this.received = Buffer.alloc(0);
      clearTimeout(exchange.timer);
      if (close) this.socket.destroy();
      else {
        this.idleSince = performance.now();
        this.pool.push(this);
      }
      exchange.resolve({ status, body: body.toString('utf8') });
    }

    fail(error: Error) {
      const exchange = this.exchange;
      this.exchange = null;
      this.socket.destroy();
      if (exchange) {
        clearTimeout(exchange.timer);
        exchange.reject(error);
      }
    }

    private onClose() {
      open.delete(this);
      const at = this.pool.indexOf(this);
      if (at !== -1) this.pool.splice(at, 1);
      // A head without a length: the body is everything up to the close.
      if (this.exchange && this.head && this.head.contentLength === null && !this.head.chunked) {
        return this.finish(this.received.subarray(this.head.bodyStart), true);
      }
      this.fail(new Error('socket hang up'));
    }
  }

  const takeIdle = (pool: Connection[]) => {
    for (let connection = pool.pop(); connection; connection = pool.pop()) {
      if (performance.now() - connection.idleSince < idleReuseMs) return connection;
      connection.socket.destroy();
    }
    return undefined;
  };

  /**
   * send and postJson over the idle connections of `pool`. `oneAtATime`: a request asked while another is unanswered
   * waits for it (first asked, first sent) instead of opening another connection; its time-out runs from when it goes out.
   */
  const sender = (pool: Connection[], oneAtATime = false) => {
    const sendNow = (method: string, path: string, headers: Record<string, string>, body?: string | Uint8Array, timeoutMs = 30_000) =>
      new Promise<HttpResult>((resolve, reject) => {
        const bytes = typeof body === 'string' ? Buffer.from(body) : body;
        let head = `${method} ${path} HTTP/1.1\r\n${hostHeader}`;
        for (const name in headers) head += `${name}: ${headers[name]}\r\n`;
        if (bytes !== undefined) head += `content-length: ${bytes.byteLength}\r\n`;
        if (options.connectionPerRequest) head += 'connection: close\r\n';
        head += '\r\n';
        const connection = (options.connectionPerRequest ? undefined : takeIdle(pool)) ?? new Connection(pool);
        const timer = setTimeout(() => connection.fail(new Error(`timeout after ${timeoutMs} ms`)), timeoutMs);
        connection.send(head, bytes, { resolve, reject, timer });
      });
    const waiting: (() => void)[] = [];
    let busy = false;
    const sendNext = () => {
      const next = waiting.shift();
      busy = next !== undefined;
      next?.();
    };
    const send: typeof sendNow = oneAtATime
      ? (...request) =>
          new Promise<HttpResult>((resolve, reject) => {
            waiting.push(() => void sendNow(...request).then(resolve, reject).finally(sendNext));
            if (!busy) sendNext();
          })
      : sendNow;
    return {
      send,
      postJson: (path: string, value: unknown, headers: Record<string, string> = {}) =>
        send('POST', path, { 'content-type': 'application/json', ...headers }, JSON.stringify(value)),
    };
  };

  return {
    ...sender([]),
    /**
     * A sender whose requests never share a connection with the client's or another sender's, and go out one at a
     * time: one simulated unit keeping its one connection open between sends. Its connection counts in connections()
     * and opened().
     */
    ownConnection: () => sender([], true),
    /** Open connections (idle or busy): what the server holds for this client. */
    connections: () => open.size,
    /** Connections opened since the client was created (closed ones included). */
    opened: () => opened,
    close: () => {
      for (const connection of open) connection.socket.destroy();
    },
  };
}

export type HttpClient = ReturnType<typeof createHttpClient>;
export type HttpSender = ReturnType<HttpClient['ownConnection']>;
