/**
 * Blobs port: frames, report PDFs and other binary objects, addressed by slash-separated keys
 * (e.g. `frames/{vehicle_id}/{timestamp}.jpg`).
 *
 * Contract (adapters/blobs/blobs.contract.ts):
 * - `put` replaces the whole object atomically: a reader sees the old bytes or the new ones, never a mix.
 * - `get` of a missing key returns null; `delete` of a missing key is not an error.
 * - `list(prefix)` returns every key starting with `prefix`, sorted by key.
 * - `signedUrl` returns an absolute URL that downloads the object without other credentials until it expires
 *   (`expiresInSeconds` from now, by the injected clock); after that it answers 403.
 * - Keys are 1–512 characters of [A-Za-z0-9/._-], with no empty, "." or ".." segment; others are rejected.
 */
import type { HealthCheckable } from './health.ts';

export interface StoredBlob {
  body: Uint8Array;
  contentType: string;
  size: number;
}

export interface BlobEntry {
  key: string;
  size: number;
}

export interface Blobs extends HealthCheckable {
  put(key: string, body: Uint8Array, options?: { contentType?: string }): Promise<void>;
  get(key: string): Promise<StoredBlob | null>;
  delete(key: string): Promise<void>;
  list(prefix: string): Promise<BlobEntry[]>;
  signedUrl(key: string, options: { expiresInSeconds: number }): Promise<string>;
}

export function assertValidBlobKey(key: string): void {
  const ok =
    key.length >= 1 &&
    key.length <= 512 &&
    /^[A-Za-z0-9/._-]+$/.test(key) &&
    key.split('/').every((segment) => segment !== '' && segment !== '.' && segment !== '..');
  if (!ok) throw new TypeError(`invalid blob key ${JSON.stringify(key)}: use [A-Za-z0-9/._-] segments`);
}
