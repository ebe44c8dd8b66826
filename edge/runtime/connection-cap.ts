/**
 * Node only: at most `maxPerAddress` open connections from one client address (MAX_CONNECTIONS_PER_IP). One
 * address opening thousands of idle or slow connections would otherwise use up the process's sockets and memory
 * for everyone; a connection over the cap is answered at once with a 429 in the common error shape and closed,
 * before a byte of its request is read. The address is the socket's peer, like the rest of the app's client
 * address (middleware/client-ip.ts): behind a reverse proxy every client shares the proxy's, so raise the cap or
 * set 0 (no cap) there and cap per client in the proxy.
 */
import type { Server, Socket } from 'node:net';

const REFUSED_BODY = JSON.stringify({
  error: { code: 'rate_limited', message: 'too many open connections from your address; close some and retry', details: { reason: 'too_many_connections' } },
  requestId: null,
});

const REFUSED_RESPONSE =
  'HTTP/1.1 429 Too Many Requests\r\nContent-Type: application/json\r\nRetry-After: 1\r\nConnection: close\r\n' +
  `Content-Length: ${Buffer.byteLength(REFUSED_BODY)}\r\n\r\n${REFUSED_BODY}`;

/**
 * Puts the cap in front of the server's own connection handling (the HTTP parser), so a refused socket never
 * reaches the app. Returns the live counts per address (for tests and diagnostics).
 */
export function capConnectionsPerAddress(server: Server, maxPerAddress: number): Map<string, number> {
  const open = new Map<string, number>();
  if (maxPerAddress <= 0) return open;
  const handlers = server.listeners('connection') as ((socket: Socket) => void)[];
  server.removeAllListeners('connection');
  server.on('connection', (socket: Socket) => {
    const address = socket.remoteAddress ?? 'unknown';
    const count = open.get(address) ?? 0;
    if (count >= maxPerAddress) return refuse(socket);
    open.set(address, count + 1);
    socket.once('close', () => {
      const left = (open.get(address) ?? 1) - 1;
      if (left <= 0) open.delete(address);
      else open.set(address, left);
    });
    for (const handler of handlers) handler.call(server, socket);
  });
  return open;
}

function refuse(socket: Socket) {
  socket.on('error', () => {});
  // Whatever the client sends is read and dropped (unread bytes would turn our close into a reset that can
  // swallow the answer); the socket goes after a second even if the client never stops.
  socket.resume();
  socket.end(REFUSED_RESPONSE);
  setTimeout(() => socket.destroy(), 1000).unref();
}
