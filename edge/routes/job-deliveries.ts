/**
 * POST /api/v1/jobs/{name}: where QStash delivers jobs, and /api/v1/jobs/_failed: its failure callback.
 * Every delivery must carry a valid `Upstash-Signature` for exactly this URL (current or next signing key);
 * a message id already handled is answered 200 without running the job again.
 */
import { Receiver } from '@upstash/qstash';
import type { RouteDoc } from '../openapi/route-docs.ts';
import type { Hono } from 'hono';
import type { AppEnv } from '../app-env.ts';
import { FAILURE_CALLBACK_PATH, JOB_DELIVERY_PATH } from '../adapters/queue/qstash-queue.ts';
import { publicUrl } from '../config.ts';
import { AppError } from '../errors.ts';
import type { Platform } from '../platform.ts';
import type { JobHandlers } from '../ports/queue.ts';

export function registerJobDeliveries(app: Hono<AppEnv>, platform: Platform, handlers: JobHandlers) {
  const { QSTASH_CURRENT_SIGNING_KEY: current, QSTASH_NEXT_SIGNING_KEY: next } = platform.config;
  if (!current || !next) return;
  const receiver = new Receiver({ currentSigningKey: current, nextSigningKey: next });
  const base = publicUrl(platform.config);
  const db = platform.db.kysely;

  async function verified(c: import('hono').Context<AppEnv>, path: string): Promise<string> {
    const signature = c.req.header('upstash-signature');
    if (!signature) throw new AppError('unauthorized', 'Upstash-Signature header is missing');
    const body = await c.req.text();
    try {
      await receiver.verify({ signature, body, url: `${base}${path}` });
    } catch (error) {
      throw new AppError('unauthorized', `invalid delivery signature: ${(error as Error).message}`, { cause: error });
    }
    return body;
  }

  app.post(FAILURE_CALLBACK_PATH, async (c) => {
    const body = await verified(c, FAILURE_CALLBACK_PATH);
    const failure = JSON.parse(body) as { sourceMessageId?: string; url?: string; sourceBody?: string; retried?: number; status?: number; body?: string };
    if (!failure.sourceMessageId || !failure.url) throw new AppError('bad_request', 'failure callback without sourceMessageId or url');
    const job = decodeURIComponent(new URL(failure.url).pathname.slice(JOB_DELIVERY_PATH.length));
    const payloadText = failure.sourceBody ? atob(failure.sourceBody) : 'null';
    const responseText = failure.body ? atob(failure.body) : '';
    await db
      .insertInto('dead_letters')
      .values({
        id: platform.ids.next(),
        source_message_id: failure.sourceMessageId,
        job_name: job,
        payload: payloadText,
        attempts: (failure.retried ?? 0) + 1,
        last_error: `HTTP ${failure.status ?? '?'} ${responseText}`.trim().slice(0, 2000),
        created_at: new Date(platform.clock.now()),
      })
      .onConflict((oc) => oc.column('source_message_id').doNothing())
      .execute();
    platform.log.error('job dead-lettered', { job, messageId: failure.sourceMessageId });
    return c.json({ recorded: true });
  });

  app.post(`${JOB_DELIVERY_PATH}:name`, async (c) => {
    const name = c.req.param('name');
    const body = await verified(c, `${JOB_DELIVERY_PATH}${encodeURIComponent(name)}`);
    const messageId = c.req.header('upstash-message-id');
    if (!messageId) throw new AppError('bad_request', 'Upstash-Message-Id header is missing');
    const handler = handlers[name];
    if (!handler) throw new AppError('not_found', `no job named ${name}`);
    const done = await db.selectFrom('job_deliveries').select('message_id').where('message_id', '=', messageId).executeTakeFirst();
    if (done) return c.json({ status: 'duplicate' });
    let payload: unknown;
    try {
      payload = body === '' ? null : JSON.parse(body);
    } catch {
      throw new AppError('bad_request', 'job payload is not JSON');
    }
    const attempt = Number(c.req.header('upstash-retried') ?? 0) + 1;
    // A throwing job becomes a 500 through the error handler, and QStash retries it.
    await handler(payload, { jobId: messageId, attempt });
    await db
      .insertInto('job_deliveries')
      .values({ message_id: messageId, job_name: name, completed_at: new Date(platform.clock.now()) })
      .onConflict((oc) => oc.column('message_id').doNothing())
      .execute();
    return c.json({ status: 'done' });
  });
}

export const jobDeliveryDocs: RouteDoc[] = [
  { method: 'post', path: FAILURE_CALLBACK_PATH, summary: "QStash failure callback (records a dead letter)", tag: 'Jobs', auth: 'qstash', responses: { 200: 'Recorded', 401: 'Bad signature' } },
  { method: 'post', path: `${JOB_DELIVERY_PATH}:name`, summary: 'QStash job delivery', tag: 'Jobs', auth: 'qstash', responses: { 200: 'Done, or already done', 401: 'Bad signature', 404: 'No such job' } },
];
