/** Deno worker entry: `deno task worker [--jobs analyse-frame]` (edge/runtime/boot-worker.ts). */
import { bootWorker, stopOnSignals } from './boot-worker.ts';

declare const Deno: {
  env: { toObject(): Record<string, string> };
  args: string[];
  addSignalListener(signal: 'SIGINT' | 'SIGTERM', handler: () => void): void;
  exit(code: number): never;
};

const worker = await bootWorker(Deno.env.toObject(), Deno.args, 'deno');
if (!worker) Deno.exit(2);
stopOnSignals(
  worker,
  (signal, handler) => Deno.addSignalListener(signal, handler),
  (code) => Deno.exit(code),
);
