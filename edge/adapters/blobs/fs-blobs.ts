/**
 * Blobs on the local disk under one root (the embedded default, `DATA_DIR/blobs`). Each object is a file;
 * its content type lives in a `<file>.meta` sidecar. Writes go to a temporary file that is renamed into place,
 * so readers never see half an object.
 */
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import type { BlobUrlSigner } from '../../domain/blob-url-signer.ts';
import { assertValidBlobKey, type BlobEntry, type Blobs } from '../../ports/blobs.ts';

const META = '.meta';
const TEMP = '.tmp-';

export function createFsBlobs(options: { root: string; signer: BlobUrlSigner }): Blobs {
  const root = resolve(options.root);

  const pathOf = (key: string) => {
    assertValidBlobKey(key);
    // Sidecars and temporary files share the tree; a key must never name one of them.
    if (key.endsWith(META) || key.split('/').some((s) => s.startsWith(TEMP))) {
      throw new TypeError(`invalid blob key ${JSON.stringify(key)}: reserved name`);
    }
    const path = resolve(root, key);
    if (!path.startsWith(root + sep)) throw new TypeError(`invalid blob key ${JSON.stringify(key)}: outside the store`);
    return path;
  };

  const isMissing = (error: unknown) => (error as NodeJS.ErrnoException).code === 'ENOENT' || (error as NodeJS.ErrnoException).code === 'ENOTDIR';

  async function atomicWrite(path: string, data: Uint8Array | string) {
    const temp = join(dirname(path), `${TEMP}${crypto.randomUUID()}`);
    await writeFile(temp, data);
    await rename(temp, path);
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
        out.push({ key: relative(root, full).split(sep).join('/'), size: (await stat(full)).size });
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
      await mkdir(dirname(path), { recursive: true });
      await atomicWrite(path + META, JSON.stringify({ contentType: opts.contentType ?? 'application/octet-stream' }));
      await atomicWrite(path, body);
    },
    async get(key) {
      const path = pathOf(key);
      try {
        const body = new Uint8Array(await readFile(path));
        const meta = JSON.parse(await readFile(path + META, 'utf8').catch(() => '{}')) as { contentType?: string };
        return { body, contentType: meta.contentType ?? 'application/octet-stream', size: body.byteLength };
      } catch (error) {
        if (isMissing(error) || (error as NodeJS.ErrnoException).code === 'EISDIR') return null;
        throw error;
      }
    },
    async delete(key) {
      const path = pathOf(key);
      await rm(path, { force: true });
      await rm(path + META, { force: true });
    },
    async list(prefix) {
      // Walk only the deepest directory the prefix names fully, then filter by the rest of it.
      const dirPart = prefix.includes('/') ? prefix.slice(0, prefix.lastIndexOf('/')) : '';
      if (dirPart && dirPart.split('/').some((s) => s === '..' || s === '.' || s === '')) return [];
      const out: BlobEntry[] = [];
      await walk(dirPart ? join(root, dirPart) : root, out);
      return out.filter((e) => e.key.startsWith(prefix)).sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    },
    signedUrl: (key, { expiresInSeconds }) => {
      pathOf(key);
      return options.signer.sign(key, expiresInSeconds);
    },
  };
}
