/**
 * Checks an S3 request's SigV4 signature the way S3 does, with AWS's own signer (@smithy/signature-v4, the AWS
 * SDK's): recompute the signature over what arrived and compare. Header-signed requests (Authorization) and
 * presigned URLs (X-Amz-* query), with the payload hash checked against the body and presigned URLs' expiry.
 */
import { Hash } from '@smithy/hash-node';
import { SignatureV4 } from '@smithy/signature-v4';
import { createHash } from 'node:crypto';

export interface ReceivedRequest {
  method: string;
  /** Path and query exactly as received (`/bucket/key?list-type=2`). */
  url: string;
  headers: Record<string, string>;
  body: Uint8Array;
}

export type SigV4Verdict =
  | { ok: true; kind: 'header' | 'presigned' }
  | { ok: false; kind: 'header' | 'presigned' | 'none'; code: 'AccessDenied' | 'SignatureDoesNotMatch' | 'XAmzContentSHA256Mismatch'; reason: string };

const fromAmzDate = (value: string) =>
  new Date(value.replace(/^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/, '$1-$2-$3T$4:$5:$6Z'));

function queryOf(search: URLSearchParams, drop: (key: string) => boolean): Record<string, string | string[]> {
  const query: Record<string, string | string[]> = {};
  for (const [key, value] of search) {
    if (drop(key)) continue;
    const previous = query[key];
    query[key] = previous === undefined ? value : [...(Array.isArray(previous) ? previous : [previous]), value];
  }
  return query;
}

function signerFor(credential: string, secretAccessKey: string) {
  const [accessKeyId, , region, service] = credential.split('/');
  return new SignatureV4({ credentials: { accessKeyId, secretAccessKey }, region, service, sha256: Hash.bind(null, 'sha256'), uriEscapePath: false });
}

/** `secretFor(accessKeyId)` gives the secret of a known key, or undefined. `nowMs` is the store's clock. */
export async function checkSigV4(request: ReceivedRequest, secretFor: (accessKeyId: string) => string | undefined, nowMs: number): Promise<SigV4Verdict> {
  const url = new URL(request.url, 'http://store.invalid');
  const headers = Object.fromEntries(Object.entries(request.headers).map(([k, v]) => [k.toLowerCase(), v]));
  const authorization = headers.authorization;
  const presigned = url.searchParams.get('X-Amz-Signature');

  if (authorization) {
    const match = /^AWS4-HMAC-SHA256 Credential=([^,]+), ?SignedHeaders=([^,]+), ?Signature=([0-9a-f]{64})$/.exec(authorization);
    if (!match) return { ok: false, kind: 'header', code: 'AccessDenied', reason: 'malformed Authorization header' };
    const [, credential, signedHeaderList, signature] = match;
    const secret = secretFor(credential.split('/')[0]);
    if (!secret) return { ok: false, kind: 'header', code: 'AccessDenied', reason: 'unknown access key' };
    const signedHeaders = signedHeaderList.split(';');
    if (!signedHeaders.includes('host') || !headers['x-amz-date']) return { ok: false, kind: 'header', code: 'AccessDenied', reason: 'host and x-amz-date must be signed' };
    const payloadHash = headers['x-amz-content-sha256'];
    if (!payloadHash) return { ok: false, kind: 'header', code: 'AccessDenied', reason: 'missing x-amz-content-sha256' };
    if (payloadHash !== 'UNSIGNED-PAYLOAD' && payloadHash !== createHash('sha256').update(request.body).digest('hex')) {
      return { ok: false, kind: 'header', code: 'XAmzContentSHA256Mismatch', reason: 'x-amz-content-sha256 does not match the body' };
    }
    const signed = await signerFor(credential, secret).sign(
      {
        method: request.method,
        protocol: 'http:',
        hostname: url.hostname,
        path: url.pathname,
        query: queryOf(url.searchParams, () => false),
        headers: Object.fromEntries(signedHeaders.map((name) => [name, headers[name] ?? ''])),
      },
      { signingDate: fromAmzDate(headers['x-amz-date']), signableHeaders: new Set(signedHeaders) },
    );
    const expected = /Signature=([0-9a-f]{64})/.exec(String(signed.headers.authorization))?.[1];
    return expected === signature
      ? { ok: true, kind: 'header' }
      : { ok: false, kind: 'header', code: 'SignatureDoesNotMatch', reason: `signature ${signature} is not AWS's ${expected}` };
  }

  if (presigned) {
    const param = (name: string) => url.searchParams.get(name) ?? '';
    if (param('X-Amz-Algorithm') !== 'AWS4-HMAC-SHA256') return { ok: false, kind: 'presigned', code: 'AccessDenied', reason: 'unsupported X-Amz-Algorithm' };
    const credential = param('X-Amz-Credential');
    const secret = secretFor(credential.split('/')[0]);
    if (!secret) return { ok: false, kind: 'presigned', code: 'AccessDenied', reason: 'unknown access key' };
    const expires = Number(param('X-Amz-Expires'));
    if (!Number.isInteger(expires) || expires < 1 || expires > 604_800) return { ok: false, kind: 'presigned', code: 'AccessDenied', reason: 'X-Amz-Expires must be 1 to 604800' };
    const signedAt = fromAmzDate(param('X-Amz-Date'));
    if (Number.isNaN(signedAt.getTime())) return { ok: false, kind: 'presigned', code: 'AccessDenied', reason: 'bad X-Amz-Date' };
    const signedHeaders = param('X-Amz-SignedHeaders').split(';');
    const presign = await signerFor(credential, secret).presign(
      {
        method: request.method,
        protocol: 'http:',
        hostname: url.hostname,
        path: url.pathname,
        query: queryOf(url.searchParams, (key) => key.startsWith('X-Amz-')),
        // S3 presigned URLs sign no payload.
        headers: { ...Object.fromEntries(signedHeaders.map((name) => [name, headers[name] ?? ''])), 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' },
      },
      {
        signingDate: signedAt,
        expiresIn: expires,
        signableHeaders: new Set(signedHeaders),
        unsignableHeaders: new Set(['x-amz-content-sha256']),
        unhoistableHeaders: new Set(['x-amz-content-sha256']),
      },
    );
    const expected = presign.query?.['X-Amz-Signature'];
    if (expected !== presigned) return { ok: false, kind: 'presigned', code: 'SignatureDoesNotMatch', reason: `signature ${presigned} is not AWS's ${String(expected)}` };
    // Checked after the signature, as S3 does: an expired link is refused even when it was signed right.
    if (nowMs > signedAt.getTime() + expires * 1000) return { ok: false, kind: 'presigned', code: 'AccessDenied', reason: 'Request has expired' };
    return { ok: true, kind: 'presigned' };
  }

  return { ok: false, kind: 'none', code: 'AccessDenied', reason: 'request is not signed' };
}
