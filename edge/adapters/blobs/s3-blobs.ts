/** Blobs on any S3-compatible store (AWS S3, R2, MinIO…), path-style, over fetch: runs on Workers, Deno and Node. */
import type { Clock } from '../../ports/clock.ts';
import { assertValidBlobKey, type BlobEntry, type Blobs } from '../../ports/blobs.ts';
import { createS3Signer, type S3Credentials } from './s3-signer.ts';

export interface S3BlobsOptions extends S3Credentials {
  endpoint: string;
  bucket: string;
  clock: Clock;
}

const unescapeXml = (text: string) =>
  text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');

const tag = (xml: string, name: string) => xml.match(new RegExp(`<${name}>([\\s\\S]*?)</${name}>`))?.[1];

export function createS3Blobs(options: S3BlobsOptions): Blobs {
  const signer = createS3Signer(options);
  const bucketUrl = `${options.endpoint.replace(/\/+$/, '')}/${encodeURIComponent(options.bucket)}`;
  const objectUrl = (key: string) => {
    assertValidBlobKey(key);
    return `${bucketUrl}/${key.split('/').map(encodeURIComponent).join('/')}`;
  };

  async function send(operation: string, key: string, url: string, init: RequestInit = {}): Promise<Response> {
    const request = await signer.sign(url, init, options.clock.now());
    let response: Response;
    try {
      response = await fetch(request);
    } catch (error) {
      throw new Error(`S3 ${operation} ${key}: ${(error as Error).message}`, { cause: error });
    }
    return response;
  }

  async function fail(operation: string, key: string, response: Response): Promise<never> {
    const body = await response.text().catch(() => '');
    const code = tag(body, 'Code') ?? 'unknown';
    throw new Error(`S3 ${operation} ${key} failed: HTTP ${response.status} ${code}`, { cause: body.slice(0, 500) });
  }

  return {
    adapter: 's3',
    async ping() {
      const response = await send('ping', options.bucket, `${bucketUrl}?list-type=2&max-keys=1`);
      if (!response.ok) await fail('ping', options.bucket, response);
      await response.body?.cancel();
    },
    async put(key, body, opts = {}) {
      const response = await send('put', key, objectUrl(key), {
        method: 'PUT',
        body: body as Uint8Array<ArrayBuffer>,
        headers: { 'Content-Type': opts.contentType ?? 'application/octet-stream' },
      });
      if (!response.ok) await fail('put', key, response);
      await response.body?.cancel();
    },
    async get(key) {
      const response = await send('get', key, objectUrl(key));
      if (response.status === 404) {
        await response.body?.cancel();
        return null;
      }
      if (!response.ok) await fail('get', key, response);
      const body = new Uint8Array(await response.arrayBuffer());
      return { body, contentType: response.headers.get('content-type') ?? 'application/octet-stream', size: body.byteLength };
    },
    async delete(key) {
      const response = await send('delete', key, objectUrl(key), { method: 'DELETE' });
      if (!response.ok && response.status !== 404) await fail('delete', key, response);
      await response.body?.cancel();
    },
    async list(prefix) {
      const entries: BlobEntry[] = [];
      let token: string | undefined;
      do {
        const query = new URLSearchParams({ 'list-type': '2', prefix });
        if (token) query.set('continuation-token', token);
        const response = await send('list', prefix, `${bucketUrl}?${query}`);
        if (!response.ok) await fail('list', prefix, response);
        const xml = await response.text();
        for (const [, contents] of xml.matchAll(/<Contents>([\s\S]*?)<\/Contents>/g)) {
          entries.push({ key: unescapeXml(tag(contents, 'Key') ?? ''), size: Number(tag(contents, 'Size') ?? 0) });
        }
        token = tag(xml, 'IsTruncated') === 'true' ? unescapeXml(tag(xml, 'NextContinuationToken') ?? '') : undefined;
      } while (token);
      return entries.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    },
    signedUrl: (key, { expiresInSeconds }) => signer.presign(objectUrl(key), expiresInSeconds, options.clock.now()),
  };
}
