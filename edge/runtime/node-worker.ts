/** Node.js worker entry: `npm run worker [-- --jobs analyse-frame]` (edge/runtime/boot-worker.ts). */
import { bootWorker, stopOnSignals } from './boot-worker.ts';

const worker = await bootWorker(process.env, process.argv.slice(2), 'node');
if (!worker) process.exit(2);
stopOnSignals(
  worker,
  (signal, handler) => process.on(signal, handler),
  (code) => process.exit(code),
);
