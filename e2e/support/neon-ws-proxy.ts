/**
 * Test server: the WebSocket-to-TCP proxy Neon's driver expects (`wsProxy`), so the real @neondatabase/serverless
 * code talks to the local Postgres. Only allow-listed targets are dialled; anything else is refused.
 */
import { createConnection } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

export interface NeonWsProxy {
  /** Value for NeonDbOptions.wsProxy. */
  wsProxy: (host: string, port: number | string) => string;
  port: number;
  close(): Promise<void>;
}

export async function startNeonWsProxy(options: { allow: string[] }): Promise<NeonWsProxy> {
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const port = (server.address() as { port: number }).port;

  server.on('connection', (socket: WebSocket, request) => {
    const target = new URL(request.url ?? '/', 'http://proxy').searchParams.get('address') ?? '';
    if (!options.allow.includes(target)) {
      socket.close(1008, `target ${target} is not allowed`);
      return;
    }
    const [host, targetPort] = target.split(':');
    const tcp = createConnection({ host, port: Number(targetPort) });
    const pending: Buffer[] = [];
    let connected = false;
    tcp.on('connect', () => {
      connected = true;
      for (const chunk of pending.splice(0)) tcp.write(chunk);
    });
    socket.on('message', (data: Buffer) => (connected ? tcp.write(data) : pending.push(data)));
    tcp.on('data', (data) => socket.readyState === socket.OPEN && socket.send(data));
    const end = () => {
      tcp.destroy();
      if (socket.readyState === socket.OPEN) socket.close();
    };
    tcp.on('close', end);
    tcp.on('error', end);
    socket.on('close', end);
    socket.on('error', end);
  });

  return {
    port,
    wsProxy: (host, targetPort) => `127.0.0.1:${port}/v2?address=${host}:${targetPort}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of server.clients) client.terminate();
        server.close(() => resolve());
      }),
  };
}
