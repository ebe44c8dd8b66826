/**
 * Blobs on the local disk under one root (the embedded default, `DATA_DIR/blobs`). Each object is a file;
 * its content type is the one its extension implies (frames/….jpg, reports/….pdf), or else lives in a `<file>.meta`
 * sidecar (so no key segment may end in `.meta`) — one file per frame instead of two, on the ingest hot path. Writes go to a temporary file that is renamed into place,
 * so readers never see half an object.
 */
import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import type { BlobUrlSigner } from '../../domain/blob-url-signer.ts';
import { assertValidBlobKey, type BlobEntry, type Blobs } from '../../ports/blobs.ts';
import { createFileWriterThread, type FileJob, type WriteFile } from './file-writer-thread.ts';

const META = '.meta';
const TEMP = '.tmp-';
const DEFAULT_TYPE = 'application/octet-stream';
const TYPE_OF_EXTENSION: Record<string, string> = { jpg: 'image/jpeg', jpeg: 'image/jpeg', png: 'image/png', pdf: 'application/pdf', json: 'application/json', mp4: 'video/mp4' };
const impliedType = (path: string) => TYPE_OF_EXTENSION[path.slice(path.lastIndexOf('.') + 1).toLowerCase()] ?? null;

/** `writerThread`: objects are written on a thread of their own (file-writer-thread.ts; Node only). */
export function createFsBlobs(options: { root: string; signer: BlobUrlSigner; writerThread?: boolean }): Blobs {
  const root = resolve(options.root);

  const pathOf = (key: string) => {
    assertValidBlobKey(key);
    // Sidecars and temporary files share the tree; no key segment may name one (a directory "x.meta" would
    // collide with the sidecar of key "x").
    if (key.split('/').some((s) => s.endsWith(META) || s.startsWith(TEMP))) {
      throw new TypeError(`invalid blob key ${JSON.stringify(key)}: reserved name`);
    }
    const path = resolve(root, key);
    if (!path.startsWith(root + sep)) throw new TypeError(`invalid blob key ${JSON.stringify(key)}: outside the store`);
    return path;
  };

  // A path through a file (ENOTDIR) or onto a directory of longer keys (EISDIR) holds no object either.
  const MISSING_CODES = new Set(['ENOENT', 'ENOTDIR', 'EISDIR', 'ERR_FS_EISDIR']);
  const isMissing = (error: unknown) => MISSING_CODES.has(String((error as NodeJS.ErrnoException).code));

  async function removeFile(path: string) {
    try {
      await rm(path, { force: true });
    } catch (error) {
      if (!isMissing(error)) throw error;
    }
  }

  // Without the writer thread, small objects (sidecars, a low-resolution frame) are written with synchronous calls:
  // into the page cache that takes a few microseconds, while the asynchronous open/write/close/rename each wait for a
  // thread-pool slot and then an event loop turn. Larger ones (a 720p frame, reports, clips) go through the thread
  // pool: creating a file waits for the filesystem's journal, which a database committing on the same disk keeps busy
  // — at 5,000 taxis those synchronous opens held the event loop for 8 % of its time, every device request waiting
  // behind them. With the writer thread (Node: file-writer-thread.ts) every object goes to it, one message each: a
  // small frame's synchronous open cost the loop up to a millisecond there too, and a new frame's check for a stale
  // sidecar another 0.2 ms (docs/develop/benchmarks.md, twelfth session).
  const SYNC_WRITE_MAX_BYTES = 64 * 1024;

  // force: a missing file (the usual case: a new frame has no sidecar) is not an error, and no Error is built for it.
  const removeFileNow = (path: string) => rmSync(path, { force: true });

  /** Replaces the file at `path` whole; `staleSidecar`, if not null, is removed first (if it exists). */
  async function atomicWrite(path: string, data: Uint8Array | string, staleSidecar: string | null = null) {
    const dir = dirname(path);
    const temp = join(dir, `${TEMP}${crypto.randomUUID()}`);
    const offLoop = async (write: WriteFile, removeFirst: string | null) => {
      await write({ dir: madeDirs.has(dir) ? null : dir, removeFirst, temp, path, data });
      madeDirs.add(dir);
    };
    if (writerThread) return offLoop(writerThread, staleSidecar);
    // Without the thread the check stays one synchronous call, not another thread-pool round trip.
    if (staleSidecar !== null) removeFileNow(staleSidecar);
    if ((typeof data === 'string' ? data.length * 3 : data.byteLength) > SYNC_WRITE_MAX_BYTES) return offLoop(writeThroughThreadPool, null);
    await ensureDir(dir);
    try {
      writeFileSync(temp, data);
      renameSync(temp, path);
    } catch (error) {
      // A full disk or a failed rename must not leave stray temporary files behind.
      try {
        rmSync(temp, { force: true });
      } catch {
        // the original error is the one to report
      }
      throw error;
    }
  }

  async function writeThroughThreadPool({ dir, removeFirst, temp, path, data }: FileJob) {
    if (dir !== null) await mkdir(dir, { recursive: true });
    if (removeFirst) await rm(removeFirst, { force: true });
    try {
      await writeFile(temp, data);
      await rename(temp, path);
    } catch (error) {
      await rm(temp, { force: true }).catch(() => {}); // the original error is the one to report
      throw error;
    }
  }
  const writerThread: WriteFile | null = options.writerThread ? createFileWriterThread(writeThroughThreadPool) : null;

  async function readContentType(path: string): Promise<string> {
    try {
      const meta = JSON.parse(await readFile(path + META, 'utf8')) as { contentType?: unknown };
      if (typeof meta.contentType === 'string') return meta.contentType;
    } catch {
      // No sidecar: the extension says it. A damaged sidecar loses only the type, never the bytes.
    }
    return impliedType(path) ?? DEFAULT_TYPE;
  }

  // Directories this process has already created: one mkdir per new folder rather than one per write.
  const madeDirs = new Set<string>();
  async function ensureDir(dir: string) {
    if (madeDirs.has(dir)) return;
    await mkdir(dir, { recursive: true });
    madeDirs.add(dir);
  }

  async function walk(dir: string, out: BlobEntry[]) {
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (error) {
      if (isMissing(error)) return;
      throw error;
    }
    for (const entry of entries) {
      const full = join(dir, entry.name);
      if (entry.isDirectory()) await walk(full, out);
      else if (!entry.name.endsWith(META) && !entry.name.startsWith(TEMP)) {
        const size = await stat(full).then((s) => s.size, (error) => (isMissing(error) ? null : Promise.reject(error)));
        // Deleted between readdir and stat: it is simply no longer there.
        if (size !== null) out.push({ key: relative(root, full).split(sep).join('/'), size });
      }
    }
  }

  return {
    adapter: 'fs',
    async ping() {
      await mkdir(root, { recursive: true });
      await atomicWrite(join(root, `${TEMP}ping`), 'ok');
      await rm(join(root, `${TEMP}ping`), { force: true });
    },
    async put(key, body, opts = {}) {
      const path = pathOf(key);
      const type = opts.contentType ?? DEFAULT_TYPE;
      const write = async () => {
        // Each file is replaced atomically; between the two writes a reader may pair the new type with the old bytes.
        if (type === impliedType(path)) return atomicWrite(path, body, path + META);
        await atomicWrite(path + META, JSON.stringify({ contentType: type }));
        await atomicWrite(path, body);
      };
      try {
        await write();
      } catch (error) {
        // A folder removed behind our back (a cleanup): forget it and try once more.
        if (!isMissing(error)) throw error;
        madeDirs.delete(dirname(path));
        await write();
      }
    },
    async get(key) {
      const path = pathOf(key);
      try {
        const body = new Uint8Array(await readFile(path));
        return { body, contentType: await readContentType(path), size: body.byteLength };
      } catch (error) {
        if (isMissing(error)) return null;
        throw error;
      }
    },
    async delete(key) {
      const path = pathOf(key);
      await removeFile(path);
      await removeFile(path + META);
    },
    async list(prefix) {
      // No key holds other characters, and a prefix with "." or ".." segments must not walk outside the root.
      if (!/^[A-Za-z0-9/._-]*$/.test(prefix)) return [];
      // Walk only the deepest directory the prefix names fully, then filter by the rest of it.
      const dirPart = prefix.includes('/') ? prefix.slice(0, prefix.lastIndexOf('/')) : '';
      if (dirPart && dirPart.split('/').some((s) => s === '..' || s === '.' || s === '')) return [];
      const out: BlobEntry[] = [];
      await walk(dirPart ? join(root, dirPart) : root, out);
      return out.filter((e) => e.key.startsWith(prefix)).sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    },
    async signedUrl(key, { expiresInSeconds }) {
      pathOf(key);
      return options.signer.sign(key, expiresInSeconds);
    },
  };
}
