/** GET /api/v1/blobs/{key}?expires=&signature= — serves a blob to whoever holds an unexpired signed link. */
import type { RouteDoc } from '../openapi/route-docs.ts';
import type { Hono } from 'hono';
import type { AppEnv } from '../app-env.ts';
import { publicUrl } from '../config.ts';
import { BLOB_DOWNLOAD_PATH, createBlobUrlSigner } from '../domain/blob-url-signer.ts';
import { AppError } from '../errors.ts';
import type { Platform } from '../platform.ts';
import { assertValidBlobKey } from '../ports/blobs.ts';

// Types a browser shows without running script in our origin; anything else (HTML, SVG, XML...) is downloaded,
// so a stored object can never become a page on the API's origin.
const INLINE_TYPE = /^(image\/(jpeg|png|gif|webp|avif|bmp)|video\/[\w.+-]+|audio\/[\w.+-]+|application\/pdf|text\/plain)$/;

function disposition(key: string, contentType: string): string {
  const essence = contentType.split(';')[0].trim().toLowerCase();
  // Keys are [A-Za-z0-9/._-] only, so the last segment is safe inside the quotes.
  return INLINE_TYPE.test(essence) ? 'inline' : `attachment; filename="${key.slice(key.lastIndexOf('/') + 1)}"`;
}

export function registerBlobDownloads(app: Hono<AppEnv>, platform: Platform) {
  // No secret means the blob store presigns its own links (S3): never serve blobs under an empty HMAC key.
  if (!platform.blobSigningSecret) return;
  const signer = createBlobUrlSigner({ secret: platform.blobSigningSecret, baseUrl: publicUrl(platform.config), clock: platform.clock });

  app.get(`${BLOB_DOWNLOAD_PATH}*`, async (c) => {
    const expires = c.req.query('expires');
    const signature = c.req.query('signature');
    if (!expires || !signature) throw new AppError('unauthorized', 'a signed link is required: expires and signature are missing');
    let key: string;
    try {
      key = decodeURIComponent(c.req.path.slice(BLOB_DOWNLOAD_PATH.length));
      assertValidBlobKey(key);
    } catch {
      throw new AppError('bad_request', 'the link does not name a valid blob key');
    }
    const verdict = await signer.verify(key, expires, signature);
    if (verdict === 'invalid') throw new AppError('forbidden', 'signature does not match');
    if (verdict === 'expired') throw new AppError('forbidden', 'the link has expired; ask for a new one');
    const blob = await platform.blobs.get(key);
    if (!blob) throw new AppError('not_found', 'no such blob');
    const maxAge = Math.max(0, Number(expires) - Math.floor(platform.clock.now() / 1000));
    return c.body(blob.body as Uint8Array<ArrayBuffer>, 200, {
      'Content-Type': blob.contentType,
      'Content-Length': String(blob.size),
      'Cache-Control': `private, max-age=${maxAge}`,
      'X-Content-Type-Options': 'nosniff',
      'Content-Disposition': disposition(key, blob.contentType),
    });
  });
}

export const blobDownloadDocs: RouteDoc[] = [
  { method: 'get', path: `${BLOB_DOWNLOAD_PATH}*`, summary: 'Download a blob through a signed link', tag: 'Files', auth: 'signed-link', responses: { 200: 'The bytes', 401: 'No signature', 403: 'Altered or expired link', 404: 'No such blob' } },
];
