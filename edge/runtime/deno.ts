/** Deno entry: `deno task start`. */
import { bootLocal } from './boot-local.ts';

declare const Deno: {
  env: { toObject(): Record<string, string> };
  serve(
    options: { port: number; hostname: string; onListen?: (addr: { port: number }) => void },
    handler: (request: Request, info: { remoteAddr: { hostname: string } }) => Response | Promise<Response>,
  ): { shutdown(): Promise<void> };
  addSignalListener(signal: 'SIGINT' | 'SIGTERM', handler: () => void): void;
  exit(code: number): never;
};

const started = performance.now();
const server = await bootLocal(Deno.env.toObject(), 'deno');
if (!server) Deno.exit(2);

const { config, log } = server.platform;
const http = Deno.serve({
  port: config.PORT,
  hostname: config.HOST,
  onListen: ({ port }) => {
    log.info('listening', { url: `http://localhost:${port}`, startup_ms: Math.round(performance.now() - started) });
    console.log(server.welcome(port, false));
  },
}, (request, info) => server.app.fetch(request, { remoteAddr: info.remoteAddr }));

let stopping = false;
const stop = async (signal: string) => {
  if (stopping) return;
  stopping = true;
  log.info('shutting down', { signal });
  await http.shutdown();
  await server.shutdown();
  Deno.exit(0);
};
Deno.addSignalListener('SIGINT', () => void stop('SIGINT'));
Deno.addSignalListener('SIGTERM', () => void stop('SIGTERM'));
