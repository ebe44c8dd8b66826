/** The Blobs port contract (ports/blobs.ts), run over every adapter, then what only the disk adapter must guarantee. */
import { mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { createBlobUrlSigner, type BlobUrlSigner } from '../../domain/blob-url-signer.ts';
import type { Blobs } from '../../ports/blobs.ts';
import { createManualClock, type ManualClock } from '../clock/manual-clock.ts';
import { createFsBlobs } from './fs-blobs.ts';
import { createMemoryBlobs } from './memory-blobs.ts';
import { createS3Blobs } from './s3-blobs.ts';
import { amzDate } from './s3-signer.ts';
import { startTestS3 } from '../../../e2e/support/test-s3.ts';

const tempDirs: string[] = [];
afterAll(async () => Promise.all(tempDirs.map((d) => rm(d, { recursive: true, force: true }))));

const cleanups: Array<() => Promise<void>> = [];
afterAll(async () => Promise.all(cleanups.map((c) => c())));

interface AdapterUnderTest {
  name: string;
  /** When one adapter runs in more than one way. */
  label?: string;
  /** Stores that presign their own links (S3) instead of using the app's signer. */
  presigns?: boolean;
  create(signer: BlobUrlSigner, clock: ManualClock): Promise<Blobs>;
}

const adapters: AdapterUnderTest[] = [
  { name: 'memory', create: async (signer) => createMemoryBlobs({ signer }) },
  {
    name: 'fs',
    create: async (signer) => {
      const dir = await mkdtemp(join(tmpdir(), 'taxiwatch-blobs-'));
      tempDirs.push(dir);
      return createFsBlobs({ root: join(dir, 'blobs'), signer });
    },
  },
  {
    name: 'fs',
    label: 'fs, on a writer thread',
    create: async (signer) => {
      const dir = await mkdtemp(join(tmpdir(), 'taxiwatch-blobs-'));
      tempDirs.push(dir);
      return createFsBlobs({ root: join(dir, 'blobs'), signer, writerThread: true });
    },
  },
  {
    name: 's3',
    presigns: true,
    create: async (_signer, clock) => {
      // The store judges presigned URLs' expiry on the same manual clock the adapter signs with.
      const s3 = await startTestS3({ now: () => clock.now() });
      cleanups.push(s3.close);
      return createS3Blobs({ ...s3.credentials, endpoint: s3.endpoint, bucket: s3.bucket, clock });
    },
  },
];

const BASE = 'https://taxiwatch.example';

for (const adapter of adapters) {
  describe(`Blobs contract: ${adapter.label ?? adapter.name}`, () => {
    let blobs: Blobs;
    let clock: ManualClock;
    let signer: BlobUrlSigner;
    const every = Uint8Array.from({ length: 256 }, (_, i) => i);

    beforeEach(async () => {
      // A real store rejects requests dated far from its own clock, so its manual clock starts at the real time.
      clock = createManualClock(adapter.presigns ? Math.floor(Date.now() / 1000) * 1000 : '2026-04-01T00:00:00Z');
      signer = createBlobUrlSigner({ secret: 'contract-secret-contract-secret-123', baseUrl: BASE, clock });
      blobs = await adapter.create(signer, clock);
    });

    it('answers ping and names its adapter', async () => {
      await expect(blobs.ping()).resolves.toBeUndefined();
      expect(blobs.adapter).toBe(adapter.name);
    });

    it('round-trips every byte value with its content type, and overwrites whole', async () => {
      await blobs.put('frames/v1/a.jpg', every, { contentType: 'image/jpeg' });
      expect(await blobs.get('frames/v1/a.jpg')).toEqual({ body: every, contentType: 'image/jpeg', size: 256 });
      await blobs.put('frames/v1/a.jpg', new Uint8Array([1, 2]));
      expect(await blobs.get('frames/v1/a.jpg')).toEqual({ body: new Uint8Array([1, 2]), contentType: 'application/octet-stream', size: 2 });
      await blobs.put('frames/v1/a.jpg', every, { contentType: 'image/jpeg' });
      expect(await blobs.get('frames/v1/a.jpg')).toEqual({ body: every, contentType: 'image/jpeg', size: 256 });
      await blobs.put('reports/u/r.pdf', new Uint8Array([9]), { contentType: 'text/plain' });
      expect((await blobs.get('reports/u/r.pdf'))?.contentType).toBe('text/plain');
      expect((await blobs.list('')).map((b) => b.key).sort()).toEqual(['frames/v1/a.jpg', 'reports/u/r.pdf']);
    });

    it('round-trips large objects (a 720p frame) into new folders, and overwrites them whole', async () => {
      const frame = Uint8Array.from({ length: 300_000 }, (_, i) => (i * 7) % 256);
      const [a, b] = ['frames/big-1/a.jpg', 'frames/big-2/b.jpg'];
      await Promise.all([blobs.put(a, frame, { contentType: 'image/jpeg' }), blobs.put(b, frame.subarray(1000), { contentType: 'image/jpeg' })]);
      expect(await blobs.get(a)).toEqual({ body: frame, contentType: 'image/jpeg', size: 300_000 });
      expect(await blobs.get(b)).toEqual({ body: frame.subarray(1000), contentType: 'image/jpeg', size: 299_000 });
      await blobs.put(a, frame.subarray(0, 100_000), { contentType: 'image/jpeg' });
      expect((await blobs.get(a))?.size).toBe(100_000);
      expect((await blobs.list('frames/big-')).map((e) => [e.key, e.size])).toEqual([
        [a, 100_000],
        [b, 299_000],
      ]);
    });

    it('returns null for a missing key and deletes idempotently', async () => {
      expect(await blobs.get('frames/none.jpg')).toBeNull();
      await blobs.put('reports/u/r.pdf', new Uint8Array([9]));
      await blobs.delete('reports/u/r.pdf');
      await blobs.delete('reports/u/r.pdf');
      expect(await blobs.get('reports/u/r.pdf')).toBeNull();
    });

    it('lists by prefix, sorted, including prefixes that end mid-segment', async () => {
      for (const key of ['frames/v2/2026-01-02.jpg', 'frames/v1/2026-01-01.jpg', 'frames/v1/2026-02-01.jpg', 'reports/x.pdf', 'frames/v10/a.jpg']) {
        await blobs.put(key, new Uint8Array([1, 2, 3]));
      }
      expect((await blobs.list('frames/v1/')).map((e) => e.key)).toEqual(['frames/v1/2026-01-01.jpg', 'frames/v1/2026-02-01.jpg']);
      expect((await blobs.list('frames/v1/2026-0')).map((e) => e.key)).toEqual(['frames/v1/2026-01-01.jpg', 'frames/v1/2026-02-01.jpg']);
      expect((await blobs.list('frames/v1')).map((e) => e.key)).toEqual(['frames/v1/2026-01-01.jpg', 'frames/v1/2026-02-01.jpg', 'frames/v10/a.jpg']);
      expect(await blobs.list('reports/')).toEqual([{ key: 'reports/x.pdf', size: 3 }]);
      expect(await blobs.list('nothing/')).toEqual([]);
      expect((await blobs.list('')).length).toBe(5);
    });

    it.each(['../x', 'a//b', '/abs', 'a/./b', '', 'x'.repeat(513), 'with space', 'a/../b', 'back\\slash'])('rejects the key %j', async (key) => {
      await expect(blobs.put(key, new Uint8Array([1]))).rejects.toThrow(TypeError);
      await expect(blobs.get(key)).rejects.toThrow(TypeError);
      await expect(blobs.delete(key)).rejects.toThrow(TypeError);
      await expect((async () => blobs.signedUrl(key, { expiresInSeconds: 60 }))()).rejects.toThrow(TypeError);
    });

    it('keeps stored bytes safe from callers mutating their arrays', async () => {
      const input = new Uint8Array([1, 2, 3]);
      await blobs.put('k/v', input);
      input[0] = 99;
      const first = await blobs.get('k/v');
      first!.body[1] = 99;
      expect(Array.from((await blobs.get('k/v'))!.body)).toEqual([1, 2, 3]);
    });

    it('copies a Node Buffer or a view into a larger buffer, not the memory behind it', async () => {
      // Buffer#slice shares memory, so an adapter copying with slice() would keep a live view of the caller's data.
      const buffer = Buffer.from([1, 2, 3]);
      await blobs.put('k/buffer', buffer);
      buffer[0] = 99;
      const backing = new Uint8Array([7, 1, 2, 3, 7]);
      await blobs.put('k/view', backing.subarray(1, 4));
      backing.fill(0);
      expect(await blobs.get('k/buffer')).toEqual({ body: new Uint8Array([1, 2, 3]), contentType: 'application/octet-stream', size: 3 });
      expect(await blobs.get('k/view')).toEqual({ body: new Uint8Array([1, 2, 3]), contentType: 'application/octet-stream', size: 3 });
    });

    it('treats a key that is only a prefix of other keys as missing', async () => {
      await blobs.put('frames/v3/a.jpg', new Uint8Array([1]));
      expect(await blobs.get('frames/v3')).toBeNull();
      await blobs.delete('frames/v3');
      expect(await blobs.get('frames/v3/a.jpg')).not.toBeNull();
    });

    it.runIf(adapter.presigns)('presigns download URLs that fetch the exact bytes and expire when asked', async () => {
      await blobs.put('frames/v1/b.jpg', every, { contentType: 'image/jpeg' });
      const url = new URL(await blobs.signedUrl('frames/v1/b.jpg', { expiresInSeconds: 60 }));
      expect(url.searchParams.get('X-Amz-Expires')).toBe('60');
      expect(url.searchParams.get('X-Amz-Date')).toBe(amzDate(clock.now()));
      expect(url.searchParams.get('X-Amz-Signature')).toMatch(/^[0-9a-f]{64}$/);
      const res = await fetch(url);
      expect(res.status).toBe(200);
      expect(new Uint8Array(await res.arrayBuffer())).toEqual(every);

      // The store checks the link with AWS's signer: another key under the same signature is refused...
      const tampered = new URL(url);
      tampered.pathname = tampered.pathname.replace('b.jpg', 'a.jpg');
      const refused = await fetch(tampered);
      expect(refused.status).toBe(403);
      expect(await refused.text()).toContain('SignatureDoesNotMatch');
      // ...and the link works to its last second, then expires.
      clock.advance(60_000);
      expect((await fetch(url)).status).toBe(200);
      clock.advance(1_000);
      const expired = await fetch(url);
      expect(expired.status).toBe(403);
      expect(await expired.text()).toContain('Request has expired');
    });

    it.skipIf(adapter.presigns)('signs download URLs that verify until they expire and not once tampered with', async () => {
      await blobs.put('frames/v1/b.jpg', every);
      const url = new URL(await blobs.signedUrl('frames/v1/b.jpg', { expiresInSeconds: 60 }));
      expect(url.origin + url.pathname).toBe(`${BASE}/api/v1/blobs/frames/v1/b.jpg`);
      const expires = url.searchParams.get('expires')!;
      const signature = url.searchParams.get('signature')!;
      expect(await signer.verify('frames/v1/b.jpg', expires, signature)).toBe('ok');
      expect(await signer.verify('frames/v1/c.jpg', expires, signature)).toBe('invalid');
      expect(await signer.verify('frames/v1/b.jpg', String(Number(expires) + 3600), signature)).toBe('invalid');
      expect(await signer.verify('frames/v1/b.jpg', expires, signature.slice(0, -2) + (signature.endsWith('AA') ? 'BB' : 'AA'))).toBe('invalid');
      clock.advance(59_000);
      expect(await signer.verify('frames/v1/b.jpg', expires, signature)).toBe('ok');
      clock.advance(1_000);
      expect(await signer.verify('frames/v1/b.jpg', expires, signature)).toBe('expired');
    });
  });
}

describe('fs Blobs on disk', () => {
  let dir: string;
  let root: string;
  let blobs: Blobs;
  const signer = createBlobUrlSigner({ secret: 'contract-secret-contract-secret-123', baseUrl: BASE, clock: createManualClock() });

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'taxiwatch-fs-blobs-'));
    tempDirs.push(dir);
    root = join(dir, 'store', 'blobs');
    blobs = createFsBlobs({ root, signer });
  });

  /** Every file under the root, relative and with forward slashes. */
  const filesOnDisk = async () =>
    (await readdir(root, { recursive: true, withFileTypes: true }))
      .filter((e) => e.isFile())
      .map((e) => relative(root, join(e.parentPath, e.name)).split(sep).join('/'))
      .sort();

  it('creates a missing root on ping', async () => {
    await blobs.ping();
    expect((await stat(root)).isDirectory()).toBe(true);
    expect(await filesOnDisk()).toEqual([]);
  });

  it('persists across instances and lists no sidecars or temporary files', async () => {
    await blobs.put('frames/v1/a.jpg', new Uint8Array([1, 2]), { contentType: 'image/jpeg' });
    await blobs.put('frames/v1/a.jpg', new Uint8Array([3]), { contentType: 'image/png' });
    const reopened = createFsBlobs({ root, signer });
    expect(await reopened.get('frames/v1/a.jpg')).toEqual({ body: new Uint8Array([3]), contentType: 'image/png', size: 1 });
    expect(await reopened.list('')).toEqual([{ key: 'frames/v1/a.jpg', size: 1 }]);
    expect(await filesOnDisk()).toEqual(['frames/v1/a.jpg', 'frames/v1/a.jpg.meta']);
    await reopened.delete('frames/v1/a.jpg');
    expect(await filesOnDisk()).toEqual([]);
  });

  it.each(['a.meta', 'frames/x.jpg.meta', 'dir.meta/x', '.tmp-x', 'a/.tmp-1/b'])('rejects the reserved key %j', async (key) => {
    await expect(blobs.put(key, new Uint8Array([1]))).rejects.toThrow(TypeError);
    await expect(blobs.get(key)).rejects.toThrow(TypeError);
  });

  it('keeps the bytes when a sidecar is missing or damaged', async () => {
    await blobs.put('r/a.bin', new Uint8Array([5]), { contentType: 'application/pdf' });
    await writeFile(join(root, 'r', 'a.bin.meta'), '{not json');
    expect(await blobs.get('r/a.bin')).toEqual({ body: new Uint8Array([5]), contentType: 'application/octet-stream', size: 1 });
  });

  it('never reads or lists outside the root', async () => {
    await blobs.put('inside.txt', new Uint8Array([1]));
    await writeFile(join(dir, 'store', 'secret.txt'), 'outside');
    for (const prefix of ['../', '../store/', 'x/../../', '/', '/etc/', './', 'a b', '..\\']) {
      expect(await blobs.list(prefix)).toEqual([]);
    }
    await expect(blobs.get('../secret.txt')).rejects.toThrow(TypeError);
    expect(await blobs.list('')).toEqual([{ key: 'inside.txt', size: 1 }]);
  });
});

describe('S3 store behind a SigV4 check', () => {
  it("has every request the adapter sends (PUT, GET, LIST, DELETE) pass AWS's own signer, and refuses a wrong secret", async () => {
    const clock = createManualClock(Math.floor(Date.now() / 1000) * 1000);
    const s3 = await startTestS3({ now: () => clock.now() });
    cleanups.push(s3.close);
    const blobs = createS3Blobs({ ...s3.credentials, endpoint: s3.endpoint, bucket: s3.bucket, clock });
    await blobs.put('frames/v9/a.jpg', new Uint8Array([1, 2, 3]), { contentType: 'image/jpeg' });
    expect((await blobs.get('frames/v9/a.jpg'))?.body).toEqual(new Uint8Array([1, 2, 3]));
    expect((await blobs.list('frames/v9/')).map((entry) => entry.key)).toEqual(['frames/v9/a.jpg']);
    await blobs.delete('frames/v9/a.jpg');
    await blobs.ping();
    const seen = s3.checks.map((c) => `${c.method} ${c.url.includes('list-type=2') ? 'list' : 'object'} ${c.verdict.ok ? c.verdict.kind : c.verdict.reason}`);
    expect(seen).toEqual(expect.arrayContaining(['PUT object header', 'GET object header', 'GET list header', 'DELETE object header']));
    expect(s3.checks.filter((c) => !c.verdict.ok)).toEqual([]);

    const forged = createS3Blobs({ ...s3.credentials, secretAccessKey: 'not-the-secret', endpoint: s3.endpoint, bucket: s3.bucket, clock });
    await expect(forged.put('frames/v9/forged.jpg', new Uint8Array([9]))).rejects.toThrow();
    await expect(forged.delete('frames/v9/never.jpg')).rejects.toThrow();
    expect(s3.checks.filter((c) => !c.verdict.ok).map((c) => (c.verdict.ok ? '' : c.verdict.code))).toEqual(
      expect.arrayContaining(['SignatureDoesNotMatch']),
    );
    expect(await blobs.get('frames/v9/forged.jpg')).toBeNull();

    const unsigned = await fetch(`${s3.endpoint}/${s3.bucket}/frames/v9/x.jpg`, { method: 'PUT', body: 'x' });
    expect(unsigned.status).toBe(403);
  });
});
