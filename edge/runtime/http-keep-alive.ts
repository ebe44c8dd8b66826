/**
 * Node only: how long an idle keep-alive connection stays open for its next request (HTTP_KEEP_ALIVE_S). Node closes
 * one after 5 s by default; a camera unit keeps one connection to its edge and reuses it while it has been idle for
 * less than 50 s, so the server has to be the more patient side, or it closes connections a unit is about to reuse.
 *
 * Only `keepAliveTimeout` changes. Since Node 18 (package.json asks for 20.19 or later) `headersTimeout` (60 s) and
 * `requestTimeout` (300 s) run from the first byte of each request and are checked only while a request is in
 * progress, never over the idle time between two (http-keep-alive.test.ts shows it with time-outs shorter than the
 * idle time). The old advice to raise `headersTimeout` above `keepAliveTimeout` comes from Node 10–12, whose headers
 * timer could run across that idle time (nodejs/node#27363); raising it now would only give clients that send their
 * headers slowly longer to hold a connection. Node 20 destroys the socket 1 s after the time-out it advertises in
 * `Keep-Alive: timeout=N`, so a client that honours the header always closes first.
 */
import type { Server } from 'node:net';

export function setKeepAliveTimeout(server: Server, seconds: number): void {
  // @hono/node-server's serve() is typed to return an HTTP/2 server too, which has no keep-alive time-out.
  if (!('keepAliveTimeout' in server)) throw new TypeError('setKeepAliveTimeout: not an HTTP/1.1 server');
  server.keepAliveTimeout = seconds * 1000;
}
