/**
 * Writes whole files on a thread of their own, with synchronous calls: the event loop then waits for one message
 * per file instead of node:fs/promises' four thread-pool round trips (open, write, close, rename), each of which
 * waits for a turn of a busy loop. At 5,000 taxis those four were more than half of a frame's answer time
 * (docs/develop/benchmarks.md, eleventh session). Creating a file can wait for the filesystem's journal; that wait is
 * the thread's, not the loop's. Files are written one after the other, in the order asked.
 *
 * Node only (fs-blobs.ts asks for it where the runtime is Node). Should the thread fail, the writes waiting for it
 * and every later one go the thread pool's way (`fallback`), so a write is never lost to it.
 */
import { Worker } from 'node:worker_threads';

export type WriteFile = (job: FileJob) => Promise<void>;

export interface FileJob {
  /** Created first when not null (with its parents). */
  dir: string | null;
  /** Removed first when not null, if it exists: the sidecar an object of another type left (fs-blobs.ts). */
  removeFirst?: string | null;
  /** Written, then renamed to `path`: readers never see half a file. Removed again if that fails. */
  temp: string;
  path: string;
  data: Uint8Array | string;
}

// Plain JavaScript, evaluated by the thread: no loader, no module resolution.
const THREAD_SOURCE = `
const { parentPort } = require('node:worker_threads');
const fs = require('node:fs');
parentPort.on('message', ({ id, dir, removeFirst, temp, path, data }) => {
  try {
    if (dir !== null) fs.mkdirSync(dir, { recursive: true });
    if (removeFirst) fs.rmSync(removeFirst, { force: true });
    try {
      fs.writeFileSync(temp, data);
      fs.renameSync(temp, path);
    } catch (error) {
      try { fs.rmSync(temp, { force: true }); } catch {}
      throw error;
    }
    parentPort.postMessage({ id });
  } catch (error) {
    parentPort.postMessage({ id, error: { message: String(error && error.message), code: error && error.code } });
  }
});`;

interface Waiting {
  job: FileJob;
  resolve(): void;
  reject(error: unknown): void;
}

/** `source`: the thread's code (tests give one that dies). */
export function createFileWriterThread(fallback: WriteFile, source = THREAD_SOURCE): WriteFile {
  let worker: Worker | null = null;
  let broken = false;
  let nextId = 0;
  const waiting = new Map<number, Waiting>();

  const start = (): Worker | null => {
    if (worker || broken) return worker;
    try {
      worker = new Worker(source, { eval: true });
    } catch {
      broken = true;
      return null;
    }
    worker.unref(); // only writes in flight keep the process alive (ref below)
    worker.on('message', ({ id, error }: { id: number; error?: { message: string; code?: string } }) => {
      const w = waiting.get(id);
      if (!w) return;
      waiting.delete(id);
      if (waiting.size === 0) worker?.unref();
      if (error) w.reject(Object.assign(new Error(error.message), error.code ? { code: error.code } : {}));
      else w.resolve();
    });
    const giveUp = () => {
      if (broken) return;
      broken = true;
      worker = null;
      // Whatever the thread had not answered is written again the other way (a rename makes a repeat harmless).
      const left = [...waiting.values()];
      waiting.clear();
      for (const w of left) fallback(w.job).then(w.resolve, w.reject);
    };
    worker.on('error', giveUp);
    worker.on('exit', giveUp);
    return worker;
  };

  return (job) => {
    const thread = start();
    if (!thread) return fallback(job);
    return new Promise<void>((resolve, reject) => {
      const id = nextId++;
      waiting.set(id, { job, resolve, reject });
      if (waiting.size === 1) thread.ref();
      thread.postMessage({ id, ...job });
    });
  };
}
