/**
 * Queue on QStash: jobs are published as signed HTTP deliveries to this app's `/api/v1/jobs/{name}` endpoints
 * (routes/job-deliveries.ts), with QStash's own de-duplication, delays and retries. Dead letters arrive through
 * the failure callback and are kept in the database, where admins list and replay them.
 * QStash has no priorities: `priority` is ignored and each message is delivered as soon as it is due (the
 * analyse-frame job still skips stale routine frames, so vision stays current, but high frames do not jump a queue).
 */
import type { Client } from '@upstash/qstash';
import type { Clock, IdGenerator } from '../../ports/clock.ts';
import type { Db } from '../../ports/db.ts';
import type { JobInfo, Queue } from '../../ports/queue.ts';
import { nextFireTime } from './cron-schedule.ts';

export const JOB_DELIVERY_PATH = '/api/v1/jobs/';
export const FAILURE_CALLBACK_PATH = '/api/v1/jobs/_failed';

export interface QStashQueueOptions {
  client: Client;
  db: Db;
  /** The URL QStash reaches this app at; deliveries are signed for exactly these URLs. */
  publicUrl: string;
  clock: Clock;
  ids: IdGenerator;
  defaultMaxAttempts?: number;
}

export function createQStashQueue(options: QStashQueueOptions): Queue {
  const { client, db } = options;
  const base = options.publicUrl.replace(/\/+$/, '');
  const destination = (job: string) => `${base}${JOB_DELIVERY_PATH}${encodeURIComponent(job)}`;
  const failureCallback = `${base}${FAILURE_CALLBACK_PATH}`;
  const defaultMaxAttempts = options.defaultMaxAttempts ?? 5;

  const publish = async (name: string, payload: unknown, opts: { dedupeId?: string; delayMs?: number; maxAttempts?: number } = {}) => {
    const response = (await client.publishJSON({
      url: destination(name),
      body: payload ?? null,
      deduplicationId: opts.dedupeId,
      delay: opts.delayMs ? Math.ceil(opts.delayMs / 1000) : undefined,
      // QStash counts retries after the first try.
      retries: (opts.maxAttempts ?? defaultMaxAttempts) - 1,
      failureCallback,
    })) as { messageId: string; deduplicated?: boolean };
    return { id: response.messageId, duplicate: response.deduplicated === true };
  };

  return {
    adapter: 'qstash',
    async ping() {
      await client.schedules.list();
    },
    enqueue: publish,
    async schedule(spec) {
      nextFireTime(spec.cron, spec.timezone, new Date(options.clock.now()));
      // The schedule id is our name, so creating it again at every deploy or start updates it in place.
      await client.schedules.create({
        scheduleId: spec.name,
        destination: destination(spec.job),
        cron: `CRON_TZ=${spec.timezone} ${spec.cron}`,
        body: JSON.stringify(spec.payload ?? null),
        headers: { 'Content-Type': 'application/json' },
        retries: defaultMaxAttempts - 1,
        failureCallback,
      });
    },
    async deadLetters(limit = 50): Promise<JobInfo[]> {
      const rows = await db.kysely
        .selectFrom('dead_letters')
        .selectAll()
        .where('replayed_at', 'is', null)
        .orderBy('created_at', 'desc')
        .limit(limit)
        .execute();
      return rows.map((r) => ({
        id: r.id,
        name: r.job_name,
        payload: r.payload,
        attempts: r.attempts,
        maxAttempts: r.attempts,
        lastError: r.last_error,
        createdAt: r.created_at.toISOString(),
        updatedAt: r.created_at.toISOString(),
      }));
    },
    async replay(id) {
      const row = await db.kysely.selectFrom('dead_letters').selectAll().where('id', '=', id).where('replayed_at', 'is', null).executeTakeFirst();
      if (!row) return false;
      await publish(row.job_name, row.payload);
      await db.kysely.updateTable('dead_letters').set({ replayed_at: new Date(options.clock.now()) }).where('id', '=', id).execute();
      return true;
    },
    async stats() {
      const row = await db.kysely
        .selectFrom('dead_letters')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('replayed_at', 'is', null)
        .executeTakeFirstOrThrow();
      return { queued: null, running: null, dead: Number(row.n) };
    },
    start() {},
    async stop() {},
  };
}
