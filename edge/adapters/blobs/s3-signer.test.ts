/**
 * The S3 adapter's signing, checked where the local S3 server cannot check it: against AWS's published SigV4
 * examples (Amazon S3 API reference, "Authenticating requests: examples") and an independent signer written
 * here from the SigV4 specification.
 */
import { describe, expect, it } from 'vitest';
import { amzDate, createS3Signer } from './s3-signer.ts';

const AWS_EXAMPLE = { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', region: 'us-east-1' };
const MAY_24_2013 = Date.UTC(2013, 4, 24);

describe('S3 SigV4 signing', () => {
  it('formats the SigV4 date', () => {
    expect(amzDate(MAY_24_2013)).toBe('20130524T000000Z');
  });

  it("reproduces AWS's published presigned URL example", async () => {
    const url = new URL(await createS3Signer(AWS_EXAMPLE).presign('https://examplebucket.s3.amazonaws.com/test.txt', 86400, MAY_24_2013));
    expect(url.searchParams.get('X-Amz-Credential')).toBe('AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request');
    expect(url.searchParams.get('X-Amz-SignedHeaders')).toBe('host');
    expect(url.searchParams.get('X-Amz-Signature')).toBe('aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404');
  });

  it("reproduces AWS's published GET object example (signed Range header)", async () => {
    const request = await createS3Signer(AWS_EXAMPLE).sign(
      'https://examplebucket.s3.amazonaws.com/test.txt',
      { method: 'GET', headers: { Range: 'bytes=0-9', 'x-amz-content-sha256': 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855' } },
      MAY_24_2013,
      { allHeaders: true },
    );
    expect(request.headers.get('authorization')).toBe(
      'AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, ' +
        'SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41',
    );
  });

  it('signs a PUT exactly as an independent SigV4 implementation does', async () => {
    const credentials = { accessKeyId: 'TESTKEY', secretAccessKey: 'test/secret+key', region: 'eu-west-1' };
    const at = Date.UTC(2026, 5, 1, 8, 30, 15);
    const url = 'http://127.0.0.1:9000/taxiwatch/frames/v1/2026-06-01T08-30-15Z.jpg';
    const body = new Uint8Array([0xff, 0xd8, 1, 2, 3, 0xff, 0xd9]);
    const request = await createS3Signer(credentials).sign(url, { method: 'PUT', body, headers: { 'Content-Type': 'image/jpeg' } }, at);
    const authorization = request.headers.get('authorization')!;
    const signedHeaders = authorization.match(/SignedHeaders=([^,]+)/)![1].split(';');
    const headers = Object.fromEntries(signedHeaders.map((h) => [h, h === 'host' ? '127.0.0.1:9000' : request.headers.get(h)!]));
    const expected = await referenceSignature({ ...credentials, method: 'PUT', url, headers, payloadHash: request.headers.get('x-amz-content-sha256')!, at });
    expect(authorization).toBe(
      `AWS4-HMAC-SHA256 Credential=TESTKEY/20260601/eu-west-1/s3/aws4_request, SignedHeaders=${signedHeaders.join(';')}, Signature=${expected}`,
    );
  });
});

// --- An independent SigV4 signer, straight from the specification (not aws4fetch). ---
const enc = new TextEncoder();
const hex = (bytes: ArrayBuffer) => Array.from(new Uint8Array(bytes), (b) => b.toString(16).padStart(2, '0')).join('');
const sha256 = async (text: string) => hex(await crypto.subtle.digest('SHA-256', enc.encode(text)));
async function hmac(key: ArrayBuffer | Uint8Array<ArrayBuffer>, text: string): Promise<ArrayBuffer> {
  const k = await crypto.subtle.importKey('raw', key, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  return crypto.subtle.sign('HMAC', k, enc.encode(text));
}

async function referenceSignature(input: {
  accessKeyId: string;
  secretAccessKey: string;
  region: string;
  method: string;
  url: string;
  headers: Record<string, string>;
  payloadHash: string;
  at: number;
}): Promise<string> {
  const url = new URL(input.url);
  const datetime = new Date(input.at).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
  const date = datetime.slice(0, 8);
  const names = Object.keys(input.headers).sort();
  const canonicalHeaders = names.map((n) => `${n}:${input.headers[n].trim()}\n`).join('');
  const canonicalRequest = [input.method, url.pathname, url.search.slice(1), canonicalHeaders, names.join(';'), input.payloadHash].join('\n');
  const scope = `${date}/${input.region}/s3/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', datetime, scope, await sha256(canonicalRequest)].join('\n');
  let key = await hmac(enc.encode(`AWS4${input.secretAccessKey}`), date);
  for (const part of [input.region, 's3', 'aws4_request']) key = await hmac(key, part);
  return hex(await hmac(key, stringToSign));
}
