/** Node.js worker entry: `npm run worker [-- --jobs analyse-frame]` (edge/runtime/boot-worker.ts). */
import { bootWorker } from './boot-worker.ts';

const worker = await bootWorker(process.env, process.argv.slice(2), 'node');
if (!worker) process.exit(2);

let stopping = false;
const stop = async (signal: string) => {
  if (stopping) return;
  stopping = true;
  worker.platform.log.info('worker shutting down', { signal });
  await worker.shutdown();
  process.exit(0);
};
process.on('SIGINT', () => void stop('SIGINT'));
process.on('SIGTERM', () => void stop('SIGTERM'));
