/**
 * Frame upload as real cameras send it: odd multipart, raw bodies, chunked streams, captured_at in three places,
 * duplicates, and every refusal (415, 422, 413, 408, 400) leaving no row, no blob and no job behind.
 */
import { readFileSync } from 'node:fs';
import { join as joinPath } from 'node:path';
import { sharedDataDir } from '../../firmware/simulator/shared-data.ts';
import type { AddressInfo } from 'node:net';
import { connect } from 'node:net';
import { serve } from '@hono/node-server';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestPlatform, type TestPlatform } from '../../e2e/support/test-platform.ts';
import { createApp } from '../app.ts';
import { createDevice, createFleet, createVehicle } from '../domain/provisioning.ts';
import type { LiveEvent } from '../ports/bus.ts';
import { jobHandlers } from '../../jobs/index.ts';

const IMAGES = joinPath(sharedDataDir(), 'images');
const frame = new Uint8Array(readFileSync(`${IMAGES}/dashcam/udacity_lanelines_solidWhiteCurve.jpg`)); // 960x540
const truncated = new Uint8Array(readFileSync(`${IMAGES}/jpeg-edge-cases/derived_dashcam_truncated_60pct.jpg`));
const PATH = '/api/v1/video/frames/upload';
const te = new TextEncoder();

const join = (...parts: (string | Uint8Array)[]) => {
  const bytes = parts.map((p) => (typeof p === 'string' ? te.encode(p) : p));
  const out = new Uint8Array(bytes.reduce((n, b) => n + b.length, 0));
  let at = 0;
  for (const b of bytes) out.set(b, (at += b.length) - b.length);
  return out;
};

/** A stream that sends the chunks, then closes, or stalls (never closes) when `stall` is set. */
const streamOf = (chunks: Uint8Array[], options: { stall?: boolean } = {}) =>
  new ReadableStream<Uint8Array>({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(chunk);
      if (!options.stall) controller.close();
    },
  });

describe(`POST ${PATH}`, () => {
  let platform: TestPlatform;
  let app: ReturnType<typeof createApp>;
  let key: string;
  let vehicleId: string;
  let deviceId: string;
  let fleetId: string;
  let events: LiveEvent[];
  let second = 0;
  /** A fresh captured_at per test (a minute ago + n seconds), so only the duplicate tests collide. */
  const nextAt = () => new Date(platform.clock.now() - 60_000 + ++second * 1000).toISOString();

  const upload = (body: BodyInit | null, headers: Record<string, string> = {}, query = '') =>
    app.request(`${PATH}${query}`, { method: 'POST', headers: { authorization: `Bearer ${key}`, ...headers }, body, duplex: 'half' } as RequestInit);

  const multipart = (options: { boundary?: string; field?: string; partType?: string; capturedAt?: string; tail?: string; lf?: boolean } = {}) => {
    const b = options.boundary ?? '----esp32camBoundary';
    const nl = options.lf ? '\n' : '\r\n';
    const fieldPart = options.capturedAt ? `--${b}${nl}Content-Disposition: form-data; name="captured_at"${nl}${nl}${options.capturedAt}${nl}` : '';
    return join(
      fieldPart,
      `--${b}${nl}Content-Disposition: form-data; name="${options.field ?? 'imageFile'}"; filename="esp32-cam.jpg"${nl}Content-Type: ${options.partType ?? 'image/jpeg'}${nl}${nl}`,
      frame,
      `${nl}--${b}--${options.tail ?? nl}`,
    );
  };

  const counts = async () => ({
    rows: Number((await platform.db.kysely.selectFrom('frames').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n),
    blobs: (await platform.blobs.list('frames/')).length,
    jobs: Number((await platform.db.kysely.selectFrom('jobs').select((eb) => eb.fn.countAll<number>().as('n')).where('name', '=', 'analyse-frame').executeTakeFirstOrThrow()).n),
  });

  /** Runs a refused upload and checks it left nothing behind. */
  const refused = async (status: number, code: string, send: () => Response | Promise<Response>) => {
    const before = await counts();
    const res = await send();
    const body = await res.json();
    expect(res.status, JSON.stringify(body)).toBe(status);
    expect(body.error.code).toBe(code);
    expect(await counts()).toEqual(before);
    return body;
  };

  /** Expects a stored frame and returns the reply. */
  const accepted = async (res: Response) => {
    const body = await res.json();
    expect(res.status, JSON.stringify(body)).toBe(202);
    expect(body).toMatchObject({ frame_id: expect.any(String), width: 960, height: 540, size_bytes: frame.length });
    return body as { frame_id: string; captured_at: string };
  };

  beforeAll(async () => {
    platform = await createTestPlatform({ FRAME_READ_TIMEOUT_MS: '200' });
    app = createApp(platform);
    const deps = { db: platform.db.kysely, clock: platform.clock, ids: platform.ids };
    fleetId = (await createFleet(deps, { name: 'Frames' })).id;
    vehicleId = (await createVehicle(deps, { fleetId, plate: 'FR-1' })).id;
    const device = await createDevice(deps, { vehicleId });
    key = device.key;
    deviceId = device.id;
    await platform.bus.subscribe(fleetId, (e) => events.push(e));
  });
  beforeEach(() => {
    events = [];
  });
  afterAll(() => platform.close());

  it('stores a multipart frame: blob, row, one analyse-frame job, a new_frame event, and last_seen_at', async () => {
    const capturedAt = nextAt();
    const res = await upload(multipart({ capturedAt }), { 'content-type': 'multipart/form-data; boundary=----esp32camBoundary' });
    const body = await accepted(res);
    expect(body.captured_at).toBe(capturedAt);
    const row = await platform.db.kysely.selectFrom('frames').selectAll().where('id', '=', body.frame_id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ vehicle_id: vehicleId, device_id: deviceId, fleet_id: fleetId, size_bytes: frame.length, width: 960, height: 540, analysis_status: 'pending' });
    expect(row.blob_key).toBe(`frames/${vehicleId}/${Date.parse(capturedAt)}-${body.frame_id}.jpg`);
    expect((await platform.blobs.get(row.blob_key))?.body).toEqual(frame);
    const jobs = await platform.db.kysely.selectFrom('jobs').select(['payload', 'dedupe_id']).where('name', '=', 'analyse-frame').execute();
    expect(jobs).toEqual([{ payload: { frameId: body.frame_id }, dedupe_id: `analyse-frame:${body.frame_id}` }]);
    expect(events).toEqual([
      expect.objectContaining({ type: 'new_frame', data: { frame_id: body.frame_id, vehicle_id: vehicleId, device_id: deviceId, captured_at: capturedAt, width: 960, height: 540, size_bytes: frame.length } }),
    ]);
    const device = await platform.db.kysely.selectFrom('devices').select('last_seen_at').where('id', '=', deviceId).executeTakeFirstOrThrow();
    expect(device.last_seen_at?.getTime()).toBe(platform.clock.now());
  });

  it('takes the first file part whatever its field name and part type, with a quoted boundary, an extra CRLF or bare LFs', async () => {
    for (const [options, contentType] of [
      [{ field: 'upfile', partType: 'application/octet-stream' }, 'multipart/form-data; boundary=----esp32camBoundary'],
      [{ field: 'file', boundary: 'RandomNerdTutorials', tail: '\r\n\r\n' }, 'multipart/form-data; boundary="RandomNerdTutorials"'],
      [{ field: 'photo', boundary: 'X', lf: true }, 'Multipart/Form-Data;charset=utf-8;boundary=X'],
      [{ field: 'imageFile', tail: '' }, 'multipart/form-data; boundary=----esp32camBoundary'],
    ] as const) {
      await accepted(await upload(multipart({ ...options, capturedAt: nextAt() }), { 'content-type': contentType }));
    }
  });

  it('takes a raw image/jpeg or application/octet-stream body', async () => {
    await accepted(await upload(frame, { 'content-type': 'image/jpeg' }, `?captured_at=${nextAt()}`));
    await accepted(await upload(frame, { 'content-type': 'application/octet-stream', 'content-length': String(frame.length) }, `?captured_at=${nextAt()}`));
  });

  it('takes a chunked body (a stream without Content-Length)', async () => {
    const chunks = Array.from({ length: Math.ceil(frame.length / 4096) }, (_, i) => frame.slice(i * 4096, (i + 1) * 4096));
    await accepted(await upload(streamOf(chunks), { 'content-type': 'image/jpeg', 'x-captured-at': nextAt() }));
  });

  it('reads captured_at from the form field, the query string or X-Captured-At, in that order, else the arrival time', async () => {
    const [a, b, c] = [nextAt(), nextAt(), nextAt()];
    const mp = { 'content-type': 'multipart/form-data; boundary=----esp32camBoundary' };
    expect((await accepted(await upload(multipart({ capturedAt: a }), { ...mp, 'x-captured-at': c }, `?captured_at=${b}`))).captured_at).toBe(a);
    expect((await accepted(await upload(frame, { 'content-type': 'image/jpeg', 'x-captured-at': c }, `?captured_at=${encodeURIComponent(b)}`))).captured_at).toBe(b);
    expect((await accepted(await upload(frame, { 'content-type': 'image/jpeg', 'x-captured-at': c }))).captured_at).toBe(c);
    expect((await accepted(await upload(frame, { 'content-type': 'image/jpeg' }))).captured_at).toBe(new Date(platform.clock.now()).toISOString());
    // An offset is fine and is stored as the instant it names.
    const local = new Date(Date.parse(nextAt()) + 7_200_000).toISOString().replace('Z', '+02:00');
    expect((await accepted(await upload(frame, { 'content-type': 'image/jpeg', 'x-captured-at': local }))).captured_at).toBe(new Date(Date.parse(local)).toISOString());
  });

  it('refuses a captured_at that is not ISO-8601, too far in the future, or past retention', async () => {
    const now = platform.clock.now();
    for (const bad of ['yesterday', '1717228800', new Date(now + 5 * 60_000).toISOString(), new Date(now - 31 * 86_400_000).toISOString()]) {
      const body = await refused(400, 'bad_request', () => upload(frame, { 'content-type': 'image/jpeg', 'x-captured-at': bad }));
      expect(body.error.details.reason).toBe('captured_at_invalid');
    }
    await refused(400, 'bad_request', () => upload(multipart({ capturedAt: 'soon' }), { 'content-type': 'multipart/form-data; boundary=----esp32camBoundary' }));
    // Within the clock skew is fine.
    await accepted(await upload(frame, { 'content-type': 'image/jpeg', 'x-captured-at': new Date(now + 60_000).toISOString() }));
  });

  it('answers a duplicate (same device and captured_at) with the first frame: one row, one blob, one job', async () => {
    const capturedAt = nextAt();
    const first = await accepted(await upload(frame, { 'content-type': 'image/jpeg', 'x-captured-at': capturedAt }));
    const before = await counts();
    const res = await upload(multipart({ capturedAt }), { 'content-type': 'multipart/form-data; boundary=----esp32camBoundary' });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ frame_id: first.frame_id, captured_at: capturedAt, width: 960, height: 540, size_bytes: frame.length, duplicate: true });
    expect(await counts()).toEqual(before);
    expect(events.filter((e) => e.type === 'new_frame')).toHaveLength(1);
  });

  it('is race-safe: concurrent identical uploads store one frame and leave one blob', async () => {
    const capturedAt = nextAt();
    const before = await counts();
    const replies = await Promise.all(Array.from({ length: 4 }, () => upload(frame, { 'content-type': 'image/jpeg', 'x-captured-at': capturedAt })));
    const bodies = await Promise.all(replies.map((r) => r.json()));
    expect(replies.map((r) => r.status).sort()).toEqual([200, 200, 200, 202]);
    expect(new Set(bodies.map((b) => b.frame_id)).size).toBe(1);
    expect(await counts()).toEqual({ rows: before.rows + 1, blobs: before.blobs + 1, jobs: before.jobs + 1 });
  });

  it('when another upload wins between the lookup and the insert, answers with the winner and deletes its own blob', async () => {
    const capturedAt = nextAt();
    const before = await counts();
    const put = platform.blobs.put;
    let winnerId = '';
    // The competing upload commits its row while this one is writing its blob.
    platform.blobs.put = async (blobKey, bytes, options) => {
      platform.blobs.put = put;
      await put(blobKey, bytes, options);
      winnerId = (await accepted(await upload(frame, { 'content-type': 'image/jpeg', 'x-captured-at': capturedAt }))).frame_id;
    };
    try {
      const res = await upload(frame, { 'content-type': 'image/jpeg', 'x-captured-at': capturedAt });
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ frame_id: winnerId, duplicate: true });
    } finally {
      platform.blobs.put = put;
    }
    expect(await counts()).toEqual({ rows: before.rows + 1, blobs: before.blobs + 1, jobs: before.jobs + 1 });
    const row = await platform.db.kysely.selectFrom('frames').select('blob_key').where('id', '=', winnerId).executeTakeFirstOrThrow();
    expect((await platform.blobs.list('frames/')).map((b) => b.key)).toContain(row.blob_key);
  });

  it('writes devices.last_seen_at at most once every 30 s per device', async () => {
    const seen = async () => (await platform.db.kysely.selectFrom('devices').select('last_seen_at').where('id', '=', deviceId).executeTakeFirstOrThrow()).last_seen_at?.getTime();
    platform.clock.advance(60_000); // a fresh 30-second window
    const first = platform.clock.now();
    await accepted(await upload(frame, { 'content-type': 'image/jpeg', 'x-captured-at': nextAt() }));
    expect(await seen()).toBe(first);
    platform.clock.advance(10_000);
    await accepted(await upload(frame, { 'content-type': 'image/jpeg', 'x-captured-at': nextAt() }));
    expect(await seen()).toBe(first);
    platform.clock.advance(25_000);
    await accepted(await upload(frame, { 'content-type': 'image/jpeg', 'x-captured-at': nextAt() }));
    expect(await seen()).toBe(platform.clock.now());
  });

  it('refuses other content types with 415, listing the accepted ones', async () => {
    for (const type of ['application/json', 'image/png', 'application/x-www-form-urlencoded', 'text/plain']) {
      const body = await refused(415, 'unsupported_media_type', () => upload(frame, { 'content-type': type }));
      expect(body.error.details.accepted).toEqual(['multipart/form-data', 'image/jpeg', 'application/octet-stream']);
    }
    await refused(415, 'unsupported_media_type', () => upload(frame));
  });

  it('refuses bytes that are not a complete JPEG with 422', async () => {
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0]);
    expect((await refused(422, 'unprocessable', () => upload(png, { 'content-type': 'image/jpeg' }))).error.details.reason).toBe('jpeg_not_jpeg');
    expect((await refused(422, 'unprocessable', () => upload(truncated, { 'content-type': 'application/octet-stream' }))).error.details.reason).toBe('jpeg_truncated');
    expect((await refused(422, 'unprocessable', () => upload(new Uint8Array(), { 'content-type': 'image/jpeg' }))).error.details.reason).toBe('jpeg_not_jpeg');
    const cut = join(`--B\r\nContent-Disposition: form-data; name="imageFile"; filename="x.jpg"\r\n\r\n`, frame.subarray(0, 30_000));
    expect((await refused(422, 'unprocessable', () => upload(cut, { 'content-type': 'multipart/form-data; boundary=B' }))).error.details.reason).toBe('jpeg_truncated');
  });

  it('refuses malformed multipart bodies with 400', async () => {
    await refused(400, 'bad_request', () => upload(multipart(), { 'content-type': 'multipart/form-data' }));
    await refused(400, 'bad_request', () => upload(multipart(), { 'content-type': 'multipart/form-data; boundary=other' }));
    const fieldsOnly = join(`--B\r\nContent-Disposition: form-data; name="captured_at"\r\n\r\n${nextAt()}\r\n--B--\r\n`);
    expect((await refused(400, 'bad_request', () => upload(fieldsOnly, { 'content-type': 'multipart/form-data; boundary=B' }))).error.details.reason).toBe('multipart_no_file');
  });

  it('refuses a body over FRAME_MAX_BYTES with 413: by its Content-Length before reading, or as soon as a stream passes it', async () => {
    const big = new Uint8Array(platform.config.FRAME_MAX_BYTES + 1);
    big.set(frame);
    await refused(413, 'payload_too_large', () => upload(big, { 'content-type': 'image/jpeg', 'content-length': String(big.length) }));
    // Declared too big: refused without reading a byte of the (never-ending) body.
    let pulled = 0;
    const endless = new ReadableStream<Uint8Array>({ pull: (c) => void (pulled++, c.enqueue(new Uint8Array(65536))) });
    await refused(413, 'payload_too_large', () => upload(endless, { 'content-type': 'image/jpeg', 'content-length': String(big.length) }));
    expect(pulled).toBeLessThanOrEqual(1); // the stream's initial pull, nothing consumed
    // Chunked: stops reading at the first chunk past the limit.
    let sent = 0;
    const flood = new ReadableStream<Uint8Array>({ pull: (c) => void ((sent += 65536), c.enqueue(new Uint8Array(65536))) });
    await refused(413, 'payload_too_large', () => upload(flood, { 'content-type': 'application/octet-stream' }));
    expect(sent).toBeLessThan(platform.config.FRAME_MAX_BYTES + 4 * 65536);
    const mp = join(multipart().subarray(0, 200), big);
    await refused(413, 'payload_too_large', () => upload(streamOf([mp]), { 'content-type': 'multipart/form-data; boundary=----esp32camBoundary' }));
  });

  it('gives up on a stalled body (shorter than its Content-Length, or a chunked stream that stops) with 408 within the timeout', async () => {
    for (const headers of [{ 'content-length': String(frame.length) }, {}] as Record<string, string>[]) {
      const started = Date.now();
      const body = await refused(408, 'request_timeout', () => upload(streamOf([frame.subarray(0, frame.length - 1024)], { stall: true }), { 'content-type': 'image/jpeg', 'x-captured-at': nextAt(), ...headers }));
      expect(body.error.details.reason).toBe('body_stalled');
      expect(Date.now() - started).toBeLessThan(2000);
    }
  });

  it('refuses a body that ends before its Content-Length', async () => {
    const res = await refused(400, 'bad_request', () => upload(streamOf([frame.subarray(0, 1000)]), { 'content-type': 'image/jpeg', 'content-length': String(frame.length) }));
    expect(res.error.details.reason).toBe('body_incomplete');
  });

  it('on a real Node server, answers 408 and stores nothing when the body is shorter than its Content-Length', async () => {
    const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
    await new Promise<void>((resolve) => (server.listening ? resolve() : server.once('listening', () => resolve())));
    const { port } = server.address() as AddressInfo;
    const before = await counts();
    try {
      // The sketch bug from STACK-NOTES: the last 1 KiB slice is never sent.
      const sent = frame.subarray(0, frame.length - 1024);
      const started = Date.now();
      const reply = await new Promise<{ text: string; closed: boolean }>((resolve, reject) => {
        const socket = connect(port, '127.0.0.1');
        let text = '';
        const guard = setTimeout(() => (socket.destroy(), resolve({ text, closed: false })), 5000);
        socket.on('data', (chunk) => (text += chunk.toString('latin1')));
        socket.on('error', reject);
        socket.on('close', () => (clearTimeout(guard), resolve({ text, closed: true })));
        socket.write(
          `POST ${PATH}?captured_at=${encodeURIComponent(nextAt())} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${key}\r\n` +
            `Content-Type: image/jpeg\r\nContent-Length: ${frame.length}\r\n\r\n`,
        );
        socket.write(sent);
      });
      expect(reply.text).toMatch(/^HTTP\/1\.1 408 /);
      expect(JSON.parse(reply.text.slice(reply.text.indexOf('\r\n\r\n') + 4)).error).toMatchObject({ code: 'request_timeout', details: { reason: 'body_stalled' } });
      expect(reply.closed).toBe(true);
      expect(Date.now() - started).toBeLessThan(3000);
      expect(await counts()).toEqual(before);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('needs a device key, and reads nothing without one', async () => {
    await refused(401, 'unauthorized', () => app.request(PATH, { method: 'POST', headers: { 'content-type': 'image/jpeg' }, body: frame }));
  });

  it('analyse-frame marks a pending frame not_configured (no analyser yet), once, and skips frames that are gone', async () => {
    const { frame_id } = await accepted(await upload(frame, { 'content-type': 'image/jpeg', 'x-captured-at': nextAt() }));
    platform.queue.setHandlers(jobHandlers(platform));
    expect(await platform.queue.runDue()).toBeGreaterThanOrEqual(1);
    const statuses = await platform.db.kysely.selectFrom('frames').select(['id', 'analysis_status']).execute();
    expect(statuses.find((f) => f.id === frame_id)?.analysis_status).toBe('not_configured');
    expect(statuses.every((f) => f.analysis_status === 'not_configured')).toBe(true);
    expect(await platform.queue.deadLetters()).toEqual([]);
    // A job for a deleted frame is a no-op, not a failure.
    const handlers = jobHandlers(platform);
    await expect(handlers['analyse-frame']({ frameId: 'gone' }, { jobId: 'j', attempt: 1 })).resolves.toBeUndefined();
    // A frame already analysed is left alone.
    await platform.db.kysely.updateTable('frames').set({ analysis_status: 'done' }).where('id', '=', frame_id).execute();
    await handlers['analyse-frame']({ frameId: frame_id }, { jobId: 'j', attempt: 2 });
    expect((await platform.db.kysely.selectFrom('frames').select('analysis_status').where('id', '=', frame_id).executeTakeFirstOrThrow()).analysis_status).toBe('done');
  });
});
