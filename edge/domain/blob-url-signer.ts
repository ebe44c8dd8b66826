/**
 * Signed, time-limited download links for blobs served by the app itself (disk and memory stores; S3 presigns
 * its own). The signature is HMAC-SHA-256 over the key and the expiry, so neither can be changed.
 */
import { assertValidBlobKey } from '../ports/blobs.ts';
import type { Clock } from '../ports/clock.ts';

export const BLOB_DOWNLOAD_PATH = '/api/v1/blobs/';

export interface BlobUrlSigner {
  sign(key: string, expiresInSeconds: number): Promise<string>;
  verify(key: string, expires: string, signature: string): Promise<'ok' | 'expired' | 'invalid'>;
}

const encoder = new TextEncoder();

function toBase64Url(bytes: ArrayBuffer): string {
  let binary = '';
  for (const b of new Uint8Array(bytes)) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(text: string): Uint8Array<ArrayBuffer> | null {
  if (!/^[A-Za-z0-9_-]{1,128}$/.test(text)) return null;
  try {
    const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
    return Uint8Array.from(binary, (c) => c.charCodeAt(0));
  } catch {
    return null;
  }
}

function isValidKey(key: string): boolean {
  try {
    assertValidBlobKey(key);
    return true;
  } catch {
    return false;
  }
}

export function createBlobUrlSigner(options: { secret: string; baseUrl: string; clock: Clock }): BlobUrlSigner {
  // WebCrypto rejects an empty HMAC key only when first used; fail here, where the misconfiguration is.
  if (!options.secret) throw new TypeError('blob signing secret is empty');
  const base = options.baseUrl.replace(/\/+$/, '');
  const keyPromise = crypto.subtle.importKey('raw', encoder.encode(options.secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify']);
  const message = (key: string, expires: string) => encoder.encode(`${key}\n${expires}`);

  return {
    async sign(key, expiresInSeconds) {
      assertValidBlobKey(key);
      // Infinity would sign the literal "Infinity", a link verify can never accept.
      if (!Number.isFinite(expiresInSeconds) || expiresInSeconds <= 0) throw new RangeError('expiresInSeconds must be a positive number');
      const expires = String(Math.floor(options.clock.now() / 1000) + Math.ceil(expiresInSeconds));
      const signature = toBase64Url(await crypto.subtle.sign('HMAC', await keyPromise, message(key, expires)));
      return `${base}${BLOB_DOWNLOAD_PATH}${key}?expires=${expires}&signature=${signature}`;
    },
    async verify(key, expires, signature) {
      const bytes = fromBase64Url(signature);
      if (!bytes || !/^\d{1,12}$/.test(expires) || !isValidKey(key)) return 'invalid';
      // crypto.subtle.verify compares in constant time.
      const valid = await crypto.subtle.verify('HMAC', await keyPromise, bytes, message(key, expires));
      if (!valid) return 'invalid';
      return Number(expires) * 1000 <= options.clock.now() ? 'expired' : 'ok';
    },
  };
}
