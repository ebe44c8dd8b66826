/**
 * Child-process entry for the reference: a bare node:http SSE broadcast loop. GET /live registers a viewer;
 * POST /publish {"device_time"} builds one event of the same size as the app's (BARE_EVENT_BYTES), encodes it
 * once and writes it to every viewer, one res.write each — the floor the app's fan-out is compared with.
 */
import { createServer, type ServerResponse } from 'node:http';

const eventBytes = Number(process.env.BARE_EVENT_BYTES ?? 300);
const viewers = new Set<ServerResponse>();
let seq = 0;

function eventText(deviceTime: string): Buffer {
  const id = `${Date.now()}-${seq++}`;
  const head = `id: ${id}\nevent: location_update\ndata: {"device_time":"${deviceTime}","pad":"`;
  const tail = '"}\n\n';
  const pad = Math.max(0, eventBytes - head.length - tail.length);
  return Buffer.from(head + 'x'.repeat(pad) + tail);
}

const server = createServer((req, res) => {
  if (req.method === 'GET' && req.url?.startsWith('/live')) {
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
    res.write(': connected\n\n');
    viewers.add(res);
    res.on('close', () => viewers.delete(res));
    return;
  }
  if (req.method === 'POST' && req.url === '/publish') {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const { device_time } = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { device_time: string };
      const text = eventText(device_time);
      for (const viewer of viewers) viewer.write(text);
      res.writeHead(202, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ viewers: viewers.size }));
    });
    return;
  }
  res.writeHead(404).end();
});

server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`LISTENING ${JSON.stringify({ port: (server.address() as { port: number }).port })}\n`);
});
const stop = () => {
  server.closeAllConnections();
  server.close(() => process.exit(0));
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
