/**
 * The durable queue stored in the database (the embedded default, and self-hosted Postgres): jobs survive
 * restarts, retry with exponential backoff, end as dead letters, and cron schedules enqueue each fire once.
 *
 * Workers claim jobs with `FOR UPDATE SKIP LOCKED`, so several processes sharing Postgres never run one job
 * twice at the same time. A claimed job holds a lease; a worker that dies leaves the lease to expire and the
 * job is claimed again (at-least-once delivery; jobs are idempotent). Due jobs are claimed highest priority first.
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { Logger } from '../../observability/logger.ts';
import type { Clock, IdGenerator } from '../../ports/clock.ts';
import type { Db } from '../../ports/db.ts';
import type { EnqueueOptions, EnqueueResult, JobHandlers, JobInfo, Queue } from '../../ports/queue.ts';
import { createGroupedCalls } from '../../domain/grouped-calls.ts';
import { prepared } from '../../db/prepared.ts';
import { relaxedCommit } from '../../db/relaxed-commit.ts';
import { nextFireTime } from './cron-schedule.ts';

export interface DbQueueOptions {
  db: Db;
  clock: Clock;
  ids: IdGenerator;
  log: Logger;
  /** Pause between polls of the worker loop when nothing is due. */
  pollMs?: number;
  /** Jobs run at the same time by this process. */
  concurrency?: number;
  /** How long a claimed job is reserved before another worker may take it over. */
  leaseMs?: number;
  /** Delay before retry number `attempt` (1-based: the delay after the first failure is backoffMs(1)). */
  backoffMs?: (attempt: number) => number;
  defaultMaxAttempts?: number;
  /** Claim only jobs with these names (a worker dedicated to vision); unset: every job. */
  onlyJobs?: readonly string[];
}

export interface DbQueue extends Queue {
  /** Sets the handlers that runDue uses (start() does this too). */
  setHandlers(handlers: JobHandlers): void;
  /** Enqueues due schedules, then runs due jobs until none is left; returns how many jobs ran. */
  runDue(): Promise<number>;
}

interface ClaimedJob {
  id: string;
  name: string;
  payload: unknown;
  attempts: number;
  max_attempts: number;
}

type Executor = Kysely<Database> | Transaction<Database>;

export const exponentialBackoff = (attempt: number) => Math.min(1000 * 2 ** (attempt - 1), 3_600_000);

// One runDue call stops after this many jobs so a flood cannot starve the schedules and the stop signal.
const MAX_JOBS_PER_RUN = 1000;

export function createDbQueue(options: DbQueueOptions): DbQueue {
  const { db, clock, ids, log } = options;
  const pollMs = options.pollMs ?? 1000;
  const concurrency = options.concurrency ?? 2;
  const leaseMs = options.leaseMs ?? 5 * 60_000;
  const backoffMs = options.backoffMs ?? exponentialBackoff;
  const defaultMaxAttempts = options.defaultMaxAttempts ?? 5;
  const onlyJobs = options.onlyJobs && options.onlyJobs.length > 0 ? [...options.onlyJobs] : null;
  const nameFilter = onlyJobs ? sql`AND name IN (${sql.join(onlyJobs)})` : sql``;
  const now = () => new Date(clock.now());

  let handlers: JobHandlers = {};
  let loop: Promise<void> | undefined;
  let running = false;
  let wake: (() => void) | undefined;

  function jobRow(name: string, payload: unknown, opts: EnqueueOptions) {
    const at = now();
    return {
      id: ids.next(),
      name,
      payload: JSON.stringify(payload ?? null),
      dedupe_id: opts.dedupeId ?? null,
      status: 'queued' as const,
      max_attempts: opts.maxAttempts ?? defaultMaxAttempts,
      priority: opts.priority ?? 0,
      run_at: new Date(at.getTime() + Math.max(0, opts.delayMs ?? 0)),
      created_at: at,
      updated_at: at,
    };
  }
  type JobRow = ReturnType<typeof jobRow>;

  /** Inserts the rows in one statement; a row whose dedupe id is taken answers with the job that holds it. */
  async function insertJobs(executor: Executor, rows: JobRow[]): Promise<EnqueueResult[]> {
    // Prepared (db/prepared.ts): one array per column, so the text is the same however many jobs go in together.
    const { rows: inserted } = await prepared<{ id: string }>`
      INSERT INTO jobs (id, name, payload, dedupe_id, status, max_attempts, priority, run_at, created_at, updated_at)
      SELECT id, name, payload::jsonb, dedupe_id, status, max_attempts, priority, run_at, created_at, updated_at
      FROM unnest(${rows.map((r) => r.id)}::text[], ${rows.map((r) => r.name)}::text[], ${rows.map((r) => r.payload)}::text[], ${rows.map((r) => r.dedupe_id)}::text[],
        ${rows.map((r) => r.status)}::text[], ${rows.map((r) => r.max_attempts)}::int[], ${rows.map((r) => r.priority)}::int[], ${rows.map((r) => r.run_at.toISOString())}::timestamptz[],
        ${rows.map((r) => r.created_at.toISOString())}::timestamptz[], ${rows.map((r) => r.updated_at.toISOString())}::timestamptz[])
        AS j(id, name, payload, dedupe_id, status, max_attempts, priority, run_at, created_at, updated_at)
      ON CONFLICT (dedupe_id) DO NOTHING
      RETURNING id`.execute(executor);
    const fresh = new Set(inserted.map((r) => r.id));
    return Promise.all(
      rows.map(async (row) => {
        if (fresh.has(row.id)) return { id: row.id, duplicate: false };
        const existing = await executor.selectFrom('jobs').select('id').where('dedupe_id', '=', row.dedupe_id!).executeTakeFirstOrThrow();
        return { id: existing.id, duplicate: true };
      }),
    );
  }

  const insertJob = async (executor: Executor, name: string, payload: unknown, opts: EnqueueOptions): Promise<EnqueueResult> =>
    (await insertJobs(executor, [jobRow(name, payload, opts)]))[0];

  // Jobs enqueued at the same moment (a frame upload each, at thousands of taxis) share one INSERT; two with one
  // dedupe id never share it, so each learns whether it was the first.
  const enqueueGrouped = createGroupedCalls((rows: JobRow[]) => insertJobs(db.kysely, rows), { key: (row) => row.dedupe_id ?? row.id, maxRunning: 2 });

  async function enqueueDueSchedules(): Promise<void> {
    await db.kysely.transaction().execute(async (tx) => {
      const at = now();
      const { rows } = await sql<{ name: string; cron: string; timezone: string; job_name: string; payload: unknown; next_run_at: Date }>`
        SELECT name, cron, timezone, job_name, payload, next_run_at FROM schedules
        WHERE next_run_at <= ${at} FOR UPDATE SKIP LOCKED`.execute(tx);
      for (const schedule of rows) {
        await insertJob(tx, schedule.job_name, schedule.payload, {
          dedupeId: `schedule:${schedule.name}:${schedule.next_run_at.toISOString()}`,
        });
        // Fires missed while no worker ran collapse into this one run: a nightly job should not run five times at once.
        await tx
          .updateTable('schedules')
          .set({ next_run_at: nextFireTime(schedule.cron, schedule.timezone, at), updated_at: at })
          .where('name', '=', schedule.name)
          .execute();
      }
    });
  }

  // The claim commits without waiting for the disk (db/relaxed-commit.ts): lost in a database crash, the job is simply
  // claimable again.
  async function claim(limit: number): Promise<ClaimedJob[]> {
    const at = now();
    const { rows } = await prepared<ClaimedJob>`
      UPDATE jobs SET status = 'running', attempts = attempts + 1,
        locked_until = ${new Date(at.getTime() + leaseMs)}, updated_at = ${at}
      WHERE id IN (
        SELECT id FROM jobs
        WHERE ((status = 'queued' AND run_at <= ${at}) OR (status = 'running' AND locked_until < ${at})) ${nameFilter}
        ORDER BY priority DESC, run_at, id LIMIT ${limit}
        FOR UPDATE SKIP LOCKED)
      AND ${relaxedCommit}
      RETURNING id, name, payload, attempts, max_attempts`.execute(db.kysely);
    return rows;
  }

  /** Records a failure, but only if this claim still holds the job (a slow worker may have lost its lease). */
  async function settleFailed(job: ClaimedJob, error: unknown): Promise<void> {
    const at = now();
    const owned = (q: any) => q.where('id', '=', job.id).where('status', '=', 'running').where('attempts', '=', job.attempts);
    const message = error instanceof Error ? error.message : String(error);
    const dead = job.attempts >= job.max_attempts;
    await owned(
      db.kysely.updateTable('jobs').set({
        status: dead ? 'dead' : 'queued',
        locked_until: null,
        last_error: message.slice(0, 2000),
        run_at: dead ? at : new Date(at.getTime() + backoffMs(job.attempts)),
        updated_at: at,
      }),
    ).execute();
    const fields = { jobId: job.id, job: job.name, attempt: job.attempts, error: message };
    if (dead) log.error('job dead-lettered', fields);
    else log.warn('job failed, will retry', fields);
  }

  /**
   * Marks the jobs done in one statement, each only if this claim still holds it. Like the claim, the mark commits
   * without waiting for the disk (db/relaxed-commit.ts): lost in a database crash, the job runs again, as it would
   * after a worker crash before this mark.
   */
  async function settleDone(jobs: ClaimedJob[]): Promise<void> {
    if (jobs.length === 0) return;
    await prepared`
      UPDATE jobs SET status = 'done', locked_until = NULL, updated_at = ${now()}
      FROM unnest(${jobs.map((j) => j.id)}::text[], ${jobs.map((j) => j.attempts)}::int[]) AS d(id, attempts)
      WHERE jobs.id = ANY(${jobs.map((j) => j.id)}::text[]) AND jobs.id = d.id AND jobs.attempts = d.attempts
        AND jobs.status = 'running' AND ${relaxedCommit}`.execute(db.kysely);
  }

  /** Runs the job; true when it succeeded (and is left for settleDone), a failure is settled here. */
  async function run(job: ClaimedJob): Promise<boolean> {
    if (job.attempts > job.max_attempts) {
      // Its last attempt's worker died holding the lease: no tries left.
      await settleFailed(job, new Error('lease expired on the last attempt (worker died)'));
      return false;
    }
    const handler = handlers[job.name];
    try {
      if (!handler) throw new Error(`no handler for job "${job.name}"`);
      await handler(job.payload, { jobId: job.id, attempt: job.attempts });
    } catch (error) {
      await settleFailed(job, error ?? new Error('job failed'));
      return false;
    }
    return true;
  }

  async function runDue(): Promise<number> {
    await enqueueDueSchedules();
    let ran = 0;
    while (ran < MAX_JOBS_PER_RUN) {
      const jobs = await claim(concurrency);
      if (jobs.length === 0) break;
      // The round's jobs were claimed together and the next round waits for all of them anyway, so the ones that
      // succeeded are marked done together: one statement per round instead of one per job.
      const succeeded = await Promise.all(jobs.map(run));
      await settleDone(jobs.filter((_, i) => succeeded[i]));
      ran += jobs.length;
    }
    return ran;
  }

  async function workLoop(): Promise<void> {
    while (running) {
      try {
        await runDue();
      } catch (error) {
        log.error('queue poll failed', { error });
      }
      if (!running) break;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, pollMs);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      wake = undefined;
    }
  }

  return {
    adapter: 'db-queue',
    async ping() {
      await db.kysely.selectFrom('jobs').select('id').limit(1).execute();
    },
    enqueue: (name, payload, opts = {}) => enqueueGrouped(jobRow(name, payload, opts)),
    async schedule(spec) {
      const at = now();
      const next = nextFireTime(spec.cron, spec.timezone, at);
      const payload = JSON.stringify(spec.payload ?? null);
      const existing = await db.kysely.selectFrom('schedules').selectAll().where('name', '=', spec.name).executeTakeFirst();
      // Re-registering an unchanged schedule (every start) must not move a fire time that is already due.
      if (existing && existing.cron === spec.cron && existing.timezone === spec.timezone) {
        await db.kysely.updateTable('schedules').set({ job_name: spec.job, payload, updated_at: at }).where('name', '=', spec.name).execute();
        return;
      }
      await db.kysely
        .insertInto('schedules')
        .values({ name: spec.name, cron: spec.cron, timezone: spec.timezone, job_name: spec.job, payload, next_run_at: next, updated_at: at })
        .onConflict((oc) =>
          oc.column('name').doUpdateSet({ cron: spec.cron, timezone: spec.timezone, job_name: spec.job, payload, next_run_at: next, updated_at: at }),
        )
        .execute();
    },
    async deadLetters(limit = 50): Promise<JobInfo[]> {
      const rows = await db.kysely
        .selectFrom('jobs')
        .selectAll()
        .where('status', '=', 'dead')
        .orderBy('updated_at', 'desc')
        .orderBy('id', 'desc')
        .limit(limit)
        .execute();
      return rows.map((r) => ({
        id: r.id,
        name: r.name,
        payload: r.payload,
        attempts: r.attempts,
        maxAttempts: r.max_attempts,
        lastError: r.last_error,
        createdAt: r.created_at.toISOString(),
        updatedAt: r.updated_at.toISOString(),
      }));
    },
    async replay(id) {
      const at = now();
      const result = await db.kysely
        .updateTable('jobs')
        .set({ status: 'queued', attempts: 0, run_at: at, updated_at: at })
        .where('id', '=', id)
        .where('status', '=', 'dead')
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },
    async stats() {
      const rows = await db.kysely
        .selectFrom('jobs')
        .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
        .where('status', 'in', ['queued', 'running', 'dead'])
        .groupBy('status')
        .execute();
      const count = (status: string) => Number(rows.find((r) => r.status === status)?.n ?? 0);
      return { queued: count('queued'), running: count('running'), dead: count('dead') };
    },
    setHandlers(next) {
      handlers = next;
    },
    runDue,
    start(next) {
      handlers = next;
      if (running) return;
      running = true;
      loop = workLoop();
    },
    async stop() {
      running = false;
      wake?.();
      await loop;
      loop = undefined;
    },
  };
}
