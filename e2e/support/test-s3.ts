/**
 * An S3-compatible server for tests (s3rver, on loopback, in a temporary directory, or in `directory`, which is
 * kept). s3rver checks no signatures, so it sits behind a small proxy that checks every request's SigV4 signature
 * with AWS's own signer (sigv4-check.ts) and refuses, as S3 does, a wrong or missing signature and an expired
 * presigned URL (against `now`, the real clock unless given). `checks` lists every verdict, for tests to assert on.
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { createServer, request as forward, type IncomingHttpHeaders } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import S3rver from 's3rver';
import { checkSigV4, type SigV4Verdict } from './sigv4-check.ts';

export interface S3Check {
  method: string;
  url: string;
  verdict: SigV4Verdict;
}

const flatten = (headers: IncomingHttpHeaders) =>
  Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(',') : String(v ?? '')]));

export async function startTestS3(options: { directory?: string; now?: () => number } = {}) {
  const directory = options.directory ?? (await mkdtemp(join(tmpdir(), 'taxiwatch-s3-')));
  await mkdir(directory, { recursive: true });
  const bucket = 'taxiwatch-test';
  const credentials = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER', region: 'us-east-1' };
  const server = new S3rver({ address: '127.0.0.1', port: 0, directory, silent: true, configureBuckets: [{ name: bucket }] });
  const upstream = await server.run();
  const now = options.now ?? Date.now;
  const checks: S3Check[] = [];

  const proxy = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const received = { method: req.method ?? 'GET', url: req.url ?? '/', headers: flatten(req.headers), body };
    const verdict = await checkSigV4(received, (key) => (key === credentials.accessKeyId ? credentials.secretAccessKey : undefined), now()).catch(
      (error: Error): SigV4Verdict => ({ ok: false, kind: 'none', code: 'AccessDenied', reason: error.message }),
    );
    checks.push({ method: received.method, url: received.url, verdict });
    if (!verdict.ok) {
      res.writeHead(403, { 'content-type': 'application/xml' });
      res.end(`<?xml version="1.0" encoding="UTF-8"?><Error><Code>${verdict.code}</Code><Message>${verdict.reason}</Message></Error>`);
      return;
    }
    const upstreamRequest = forward(
      { host: '127.0.0.1', port: upstream.port, method: req.method, path: req.url, headers: req.headers },
      (upstreamResponse) => {
        res.writeHead(upstreamResponse.statusCode ?? 502, upstreamResponse.headers);
        upstreamResponse.pipe(res);
      },
    );
    upstreamRequest.on('error', () => res.writeHead(502).end());
    upstreamRequest.end(body);
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));

  return {
    endpoint: `http://127.0.0.1:${(proxy.address() as { port: number }).port}`,
    bucket,
    credentials,
    /** Every request the store received, with the signature check's verdict. */
    checks,
    async close() {
      proxy.closeAllConnections();
      await new Promise((resolve) => proxy.close(resolve));
      await server.close();
      if (!options.directory) await rm(directory, { recursive: true, force: true });
    },
  };
}
