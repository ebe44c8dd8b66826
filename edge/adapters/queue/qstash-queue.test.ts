/**
 * The QStash queue end to end: the real @upstash/qstash Client publishes to a loopback QStash, which delivers
 * signed requests over HTTP to the app's job endpoints, verified by the real Receiver.
 */
import { serve, type ServerType } from '@hono/node-server';
import { Client } from '@upstash/qstash';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { startQStashServer } from '../../../e2e/support/qstash-server.ts';
import { freePort } from '../../../e2e/support/spawn-server.ts';
import { createApp } from '../../app.ts';
import type { Platform } from '../../platform.ts';
import type { Queue } from '../../ports/queue.ts';
import { createTestPlatform, type TestPlatform } from '../../../e2e/support/test-platform.ts';
import { createQStashQueue } from './qstash-queue.ts';

const KEYS = { token: 'qstash-test-token', currentSigningKey: 'sig_current_0123456789', nextSigningKey: 'sig_next_9876543210' };

describe('QStash queue', () => {
  let qstash: Awaited<ReturnType<typeof startQStashServer>>;
  let base: TestPlatform;
  let queue: Queue;
  let http: ServerType;
  let appUrl: string;
  const runs: { job: string; payload: unknown; attempt: number }[] = [];
  let flakyFailuresLeft = 0;

  beforeAll(async () => {
    qstash = await startQStashServer({ ...KEYS, backoffMs: () => 10 });
    const port = await freePort();
    appUrl = `http://127.0.0.1:${port}`;
    base = await createTestPlatform({
      PUBLIC_URL: appUrl,
      QSTASH_URL: qstash.url,
      QSTASH_TOKEN: KEYS.token,
      QSTASH_CURRENT_SIGNING_KEY: KEYS.currentSigningKey,
      QSTASH_NEXT_SIGNING_KEY: KEYS.nextSigningKey,
    });
    queue = createQStashQueue({ client: new Client({ token: KEYS.token, baseUrl: qstash.url }), db: base.db, publicUrl: appUrl, clock: base.clock, ids: base.ids });
    const platform: Platform = { ...base, queue };
    const app = createApp(platform, {
      jobs: {
        record: async (payload, context) => void runs.push({ job: 'record', payload, attempt: context.attempt }),
        flaky: async (payload, context) => {
          runs.push({ job: 'flaky', payload, attempt: context.attempt });
          if (flakyFailuresLeft-- > 0) throw new Error('upstream unavailable');
        },
      },
    });
    http = serve({ fetch: app.fetch, port, hostname: '127.0.0.1' });
  });
  afterAll(async () => {
    await qstash.settle();
    await new Promise((r) => http.close(r));
    await qstash.close();
    await base.close();
  });
  beforeEach(() => {
    runs.length = 0;
    qstash.useSigningKey(KEYS.currentSigningKey);
  });

  const runsOf = (job: string) => runs.filter((r) => r.job === job);

  it('publishes a job that is delivered, verified and run once', async () => {
    const { id, duplicate } = await queue.enqueue('record', { frameId: 'f-1' });
    expect(duplicate).toBe(false);
    await qstash.settle();
    expect(runs).toEqual([{ job: 'record', payload: { frameId: 'f-1' }, attempt: 1 }]);
    const delivered = await base.db.kysely.selectFrom('job_deliveries').selectAll().where('message_id', '=', id).executeTakeFirst();
    expect(delivered?.job_name).toBe('record');
  });

  it('de-duplicates by id', async () => {
    const first = await queue.enqueue('record', { n: 1 }, { dedupeId: 'frame-7' });
    const second = await queue.enqueue('record', { n: 1 }, { dedupeId: 'frame-7' });
    expect(second).toEqual({ id: first.id, duplicate: true });
    await qstash.settle();
    expect(runsOf('record')).toHaveLength(1);
  });

  it('delays delivery', async () => {
    await queue.enqueue('record', { late: true }, { delayMs: 1000 });
    await new Promise((r) => setTimeout(r, 400));
    expect(runs).toEqual([]);
    await vi.waitFor(() => expect(runs).toHaveLength(1), { timeout: 3000 });
  });

  it('retries failures, then records a dead letter from the failure callback, and replays it', async () => {
    flakyFailuresLeft = 3;
    await queue.enqueue('flaky', { report: 'daily' }, { maxAttempts: 3 });
    await qstash.settle();
    expect(runsOf('flaky').map((r) => r.attempt)).toEqual([1, 2, 3]);
    const dead = await queue.deadLetters();
    expect(dead).toEqual([expect.objectContaining({ name: 'flaky', payload: { report: 'daily' }, attempts: 3 })]);
    expect((await queue.stats()).dead).toBe(1);

    expect(await queue.replay(dead[0].id)).toBe(true);
    expect(await queue.replay(dead[0].id)).toBe(false);
    await qstash.settle();
    expect(runsOf('flaky')).toHaveLength(4);
    expect(await queue.deadLetters()).toEqual([]);
  });

  it('accepts deliveries signed with the next signing key (rotation)', async () => {
    qstash.useSigningKey(KEYS.nextSigningKey);
    await queue.enqueue('record', { rotated: true });
    await qstash.settle();
    expect(runs).toHaveLength(1);
  });

  it('rejects forged, misdirected and expired deliveries, and never runs a replayed message twice', async () => {
    const url = `${appUrl}/api/v1/jobs/record`;
    const body = JSON.stringify({ evil: true });
    const deliver = (signature: string, messageId = `msg_${crypto.randomUUID()}`, payload = body) =>
      fetch(url, { method: 'POST', body: payload, headers: { 'Upstash-Signature': signature, 'Upstash-Message-Id': messageId, 'content-type': 'application/json' } });

    qstash.useSigningKey('not-a-key-of-ours');
    const forged = await deliver(await qstash.sign(url, body));
    expect(forged.status).toBe(401);
    expect((await forged.json()).error.code).toBe('unauthorized');

    qstash.useSigningKey(KEYS.currentSigningKey);
    expect((await deliver(await qstash.sign(`${appUrl}/api/v1/jobs/flaky`, body))).status).toBe(401);
    expect((await deliver(await qstash.sign(url, body), undefined, JSON.stringify({ evil: false }))).status).toBe(401);
    const now = Math.floor(Date.now() / 1000);
    const hash = Buffer.from(new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(body)))).toString('base64url');
    const expired = await new SignJWT({ body: hash })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setIssuer('Upstash')
      .setSubject(url)
      .setIssuedAt(now - 900)
      .setNotBefore(now - 900)
      .setExpirationTime(now - 600)
      .sign(new TextEncoder().encode(KEYS.currentSigningKey));
    expect((await deliver(expired)).status).toBe(401);
    expect((await fetch(url, { method: 'POST', body })).status).toBe(401);
    expect(runs).toEqual([]);

    const signature = await qstash.sign(url, body);
    expect((await deliver(signature, 'msg_replayed')).status).toBe(200);
    const replayed = await deliver(signature, 'msg_replayed');
    expect(replayed.status).toBe(200);
    expect(await replayed.json()).toEqual({ status: 'duplicate' });
    expect(runs).toHaveLength(1);
  });

  it('answers an unknown job with 404 so it ends in dead letters', async () => {
    const url = `${appUrl}/api/v1/jobs/no-such-job`;
    const res = await fetch(url, { method: 'POST', body: 'null', headers: { 'Upstash-Signature': await qstash.sign(url, 'null'), 'Upstash-Message-Id': 'msg_x' } });
    expect(res.status).toBe(404);
  });

  it('creates cron schedules idempotently in their timezone, and a fire runs the job', async () => {
    const spec = { name: 'daily-report-madrid', cron: '0 6 * * *', timezone: 'Europe/Madrid', job: 'record', payload: { report: true } };
    await queue.schedule(spec);
    await queue.schedule(spec);
    expect([...qstash.schedules.values()]).toEqual([
      expect.objectContaining({ scheduleId: 'daily-report-madrid', cron: 'CRON_TZ=Europe/Madrid 0 6 * * *', destination: `${appUrl}/api/v1/jobs/record` }),
    ]);
    await expect(queue.schedule({ ...spec, name: 'bad', timezone: 'Mars/Olympus' })).rejects.toThrow('Mars/Olympus');
    qstash.fireSchedule('daily-report-madrid');
    await qstash.settle();
    expect(runs).toEqual([{ job: 'record', payload: { report: true }, attempt: 1 }]);
    await expect(queue.ping()).resolves.toBeUndefined();
  });
});
