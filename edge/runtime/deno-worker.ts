/** Deno worker entry: `deno task worker [--jobs analyse-frame]` (edge/runtime/boot-worker.ts). */
import { bootWorker } from './boot-worker.ts';

declare const Deno: {
  env: { toObject(): Record<string, string> };
  args: string[];
  addSignalListener(signal: 'SIGINT' | 'SIGTERM', handler: () => void): void;
  exit(code: number): never;
};

const worker = await bootWorker(Deno.env.toObject(), Deno.args, 'deno');
if (!worker) Deno.exit(2);

let stopping = false;
const stop = async (signal: string) => {
  if (stopping) return;
  stopping = true;
  worker.platform.log.info('worker shutting down', { signal });
  await worker.shutdown();
  Deno.exit(0);
};
Deno.addSignalListener('SIGINT', () => void stop('SIGINT'));
Deno.addSignalListener('SIGTERM', () => void stop('SIGTERM'));
