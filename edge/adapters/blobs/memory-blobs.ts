/** In-process Blobs, for tests and throwaway runs: copies bytes in and out so callers cannot alter what is stored. */
import type { BlobUrlSigner } from '../../domain/blob-url-signer.ts';
import { assertValidBlobKey, type Blobs } from '../../ports/blobs.ts';

export function createMemoryBlobs(options: { signer: BlobUrlSigner }): Blobs {
  const objects = new Map<string, { body: Uint8Array; contentType: string }>();
  return {
    adapter: 'memory',
    async ping() {},
    async put(key, body, opts = {}) {
      assertValidBlobKey(key);
      // new Uint8Array(view) always copies; a Node Buffer's slice() would share the caller's memory.
      objects.set(key, { body: new Uint8Array(body), contentType: opts.contentType ?? 'application/octet-stream' });
    },
    async get(key) {
      assertValidBlobKey(key);
      const found = objects.get(key);
      return found ? { body: new Uint8Array(found.body), contentType: found.contentType, size: found.body.byteLength } : null;
    },
    async delete(key) {
      assertValidBlobKey(key);
      objects.delete(key);
    },
    async list(prefix) {
      return [...objects.entries()]
        .filter(([key]) => key.startsWith(prefix))
        .map(([key, value]) => ({ key, size: value.body.byteLength }))
        .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    },
    signedUrl: (key, { expiresInSeconds }) => options.signer.sign(key, expiresInSeconds),
  };
}
