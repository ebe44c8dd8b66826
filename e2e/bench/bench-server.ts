/**
 * Child-process entry for the app under test: the Node runtime's start-up (bootLocal → createApp on
 * @hono/node-server), on 127.0.0.1 and port 0, with whatever database the environment names.
 */
import { serve } from '@hono/node-server';
import { withDirectSse } from '../../edge/runtime/node-sse.ts';
import { bootLocal } from '../../edge/runtime/boot-local.ts';
import { setKeepAliveTimeout } from '../../edge/runtime/http-keep-alive.ts';

const server = await bootLocal(process.env, 'node');
if (!server) process.exit(2);

const http = serve({ fetch: withDirectSse(server.app.fetch), port: 0, hostname: '127.0.0.1' }, (info) => {
  process.stdout.write(`LISTENING ${JSON.stringify({ port: info.port })}\n`);
});
// As `npm start`: idle keep-alive connections stay open HTTP_KEEP_ALIVE_S (65 s by default), which (c)'s
// `--connections per-taxi` relies on to measure the firmware's one connection per unit.
setKeepAliveTimeout(http, server.platform.config.HTTP_KEEP_ALIVE_S);

let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  // Open SSE streams would keep close() waiting: drop every connection.
  (http as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
  http.close();
  // A CPU profile (--cpu-prof) is written on exit: never let a stuck shutdown end in SIGKILL.
  setTimeout(() => process.exit(0), 5000).unref();
  await server.shutdown().catch(() => {});
  process.exit(0);
};
process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());
