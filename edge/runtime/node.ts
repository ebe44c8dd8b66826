/** Node.js entry: `npm start`. */
import { serve } from '@hono/node-server';
import { withDirectSse } from './node-sse.ts';
import { capConnectionsPerAddress } from './connection-cap.ts';
import { setKeepAliveTimeout } from './http-keep-alive.ts';
import { bootLocal } from './boot-local.ts';
import { startDemoSimulator } from './demo-simulator.ts';

const started = performance.now();
const server = await bootLocal(process.env, 'node');
if (!server) process.exit(2);

const { config, log } = server.platform;
const demo = process.argv.includes('--demo') || /^(1|true|yes)$/i.test(process.env.DEMO_SIMULATOR ?? '');
const http = serve({ fetch: withDirectSse(server.app.fetch), port: config.PORT, hostname: config.HOST }, (info) => {
  log.info('listening', { url: `http://localhost:${info.port}`, startup_ms: Math.round(performance.now() - started) });
  console.log(server.welcome(info.port, demo));
  if (demo) void startDemoSimulator(server.platform, `http://127.0.0.1:${info.port}`);
});
capConnectionsPerAddress(http, config.MAX_CONNECTIONS_PER_IP);
setKeepAliveTimeout(http, config.HTTP_KEEP_ALIVE_S);

let stopping = false;
const stop = async (signal: string) => {
  if (stopping) return;
  stopping = true;
  log.info('shutting down', { signal });
  http.close();
  await server.shutdown();
  process.exit(0);
};
process.on('SIGINT', () => void stop('SIGINT'));
process.on('SIGTERM', () => void stop('SIGTERM'));
