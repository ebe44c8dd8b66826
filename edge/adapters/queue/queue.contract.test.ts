/** The Queue port contract (ports/queue.ts) over the database queue, on PGlite and on the real Postgres. */
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Db } from '../../ports/db.ts';
import { createMemoryLogger } from '../../observability/logger.ts';
import { createTestPglite, createTestPostgres, postgresAvailable } from '../../../e2e/support/test-databases.ts';
import { createManualClock, type ManualClock } from '../clock/manual-clock.ts';
import { createUuidV7Ids } from '../clock/uuid-v7-ids.ts';
import { createDbQueue, type DbQueue, type DbQueueOptions } from './db-queue.ts';

const postgresUp = await postgresAvailable();

const adapters = [
  { name: 'pglite', available: true, open: async () => { const db = await createTestPglite(); return { db, dispose: () => db.close() }; } },
  { name: 'postgres', available: postgresUp, open: async () => { const pg = await createTestPostgres(); return { db: pg.db, dispose: pg.drop }; } },
];

for (const adapter of adapters) {
  describe.skipIf(!adapter.available)(`Queue contract: db-queue on ${adapter.name}`, () => {
    let db: Db;
    let dispose: () => Promise<void>;
    let clock: ManualClock;
    const opened: Array<() => Promise<void>> = [];

    const makeQueue = (overrides: Partial<DbQueueOptions> = {}): DbQueue => {
      const queue = createDbQueue({ db, clock, ids: createUuidV7Ids(clock), log: createMemoryLogger().logger, pollMs: 10, ...overrides });
      opened.push(() => queue.stop());
      return queue;
    };

    beforeEach(async () => {
      if (!db) ({ db, dispose } = await adapter.open());
      await db.kysely.deleteFrom('jobs').execute();
      await db.kysely.deleteFrom('schedules').execute();
      clock = createManualClock('2026-03-20T10:00:00Z');
    });
    afterAll(async () => {
      await Promise.all(opened.map((stop) => stop()));
      await dispose?.();
    });

    it('runs an enqueued job once with its payload, and a delayed job only after its delay', async () => {
      const queue = makeQueue();
      const seen: unknown[] = [];
      queue.setHandlers({ echo: async (payload) => void seen.push(payload) });
      await queue.enqueue('echo', { n: 1 });
      await queue.enqueue('echo', { n: 2 }, { delayMs: 60_000 });
      expect(await queue.runDue()).toBe(1);
      expect(seen).toEqual([{ n: 1 }]);
      clock.advance(59_000);
      expect(await queue.runDue()).toBe(0);
      clock.advance(1_000);
      expect(await queue.runDue()).toBe(1);
      expect(seen).toEqual([{ n: 1 }, { n: 2 }]);
      expect(await queue.runDue()).toBe(0);
    });

    it('claims due jobs highest priority first, oldest first within a priority, and never runs a not-yet-due one early', async () => {
      const queue = makeQueue({ concurrency: 1 });
      const seen: string[] = [];
      queue.setHandlers({ echo: async (payload) => void seen.push((payload as { n: string }).n) });
      await queue.enqueue('echo', { n: 'routine-1' });
      clock.advance(1);
      await queue.enqueue('echo', { n: 'routine-2' }, { priority: 0 });
      clock.advance(1);
      await queue.enqueue('echo', { n: 'high-1' }, { priority: 10 });
      clock.advance(1);
      await queue.enqueue('echo', { n: 'high-later' }, { priority: 10, delayMs: 60_000 });
      clock.advance(1);
      await queue.enqueue('echo', { n: 'high-2' }, { priority: 10 });
      expect(await queue.runDue()).toBe(4);
      expect(seen).toEqual(['high-1', 'high-2', 'routine-1', 'routine-2']);
    });

    it('a queue limited to some jobs claims only those and leaves the rest to others', async () => {
      const vision = makeQueue({ onlyJobs: ['analyse'] });
      const seen: string[] = [];
      vision.setHandlers({ analyse: async () => void seen.push('analyse'), report: async () => void seen.push('report') });
      await vision.enqueue('report', {});
      await vision.enqueue('analyse', {});
      expect(await vision.runDue()).toBe(1);
      expect(seen).toEqual(['analyse']);
      expect((await vision.stats()).queued).toBe(1);
    });

    it('de-duplicates by id', async () => {
      const queue = makeQueue();
      let runs = 0;
      queue.setHandlers({ once: async () => void runs++ });
      const first = await queue.enqueue('once', {}, { dedupeId: 'frame-42' });
      const second = await queue.enqueue('once', {}, { dedupeId: 'frame-42' });
      expect(first.duplicate).toBe(false);
      expect(second).toEqual({ id: first.id, duplicate: true });
      await queue.runDue();
      await queue.enqueue('once', {}, { dedupeId: 'frame-42' });
      await queue.runDue();
      expect(runs).toBe(1);
    });

    it('enqueues at once, many at a time: each job stored once, a shared dedupe id answered with the first job', async () => {
      const queue = makeQueue({ concurrency: 4 });
      const seen: number[] = [];
      queue.setHandlers({ echo: async (payload) => void seen.push((payload as { n: number }).n) });
      const results = await Promise.all([
        ...Array.from({ length: 20 }, (_, n) => queue.enqueue('echo', { n })),
        ...Array.from({ length: 5 }, () => queue.enqueue('echo', { n: 99 }, { dedupeId: 'same' })),
      ]);
      const shared = results.slice(20);
      expect(shared.filter((r) => !r.duplicate)).toHaveLength(1);
      expect(new Set(shared.map((r) => r.id)).size).toBe(1);
      expect(new Set(results.map((r) => r.id)).size).toBe(21);
      expect(await queue.runDue()).toBe(21);
      expect(seen.sort((a, b) => a - b)).toEqual([...Array.from({ length: 20 }, (_, n) => n), 99]);
      // Every job of every round is recorded done, however many succeeded together.
      expect(await queue.stats()).toEqual({ queued: 0, running: 0, dead: 0 });
      const done = await db.kysely.selectFrom('jobs').select((eb) => eb.fn.countAll<number>().as('n')).where('status', '=', 'done').executeTakeFirstOrThrow();
      expect(Number(done.n)).toBe(21);
    });

    it('a round whose jobs partly fail marks the others done and retries only the failed one', async () => {
      const queue = makeQueue({ concurrency: 3, backoffMs: () => 1000 });
      let failures = 0;
      queue.setHandlers({ echo: async (payload) => { if ((payload as { n: number }).n === 1 && failures++ === 0) throw new Error('first try fails'); } });
      await Promise.all([0, 1, 2].map((n) => queue.enqueue('echo', { n })));
      expect(await queue.runDue()).toBe(3);
      const rows = await db.kysely.selectFrom('jobs').select(['payload', 'status', 'attempts']).execute();
      const byN = new Map(rows.map((r) => [(typeof r.payload === 'string' ? JSON.parse(r.payload) : r.payload).n, r]));
      expect(byN.get(0)).toMatchObject({ status: 'done', attempts: 1 });
      expect(byN.get(2)).toMatchObject({ status: 'done', attempts: 1 });
      expect(byN.get(1)).toMatchObject({ status: 'queued', attempts: 1 });
      clock.advance(1000);
      expect(await queue.runDue()).toBe(1);
      expect(await queue.stats()).toEqual({ queued: 0, running: 0, dead: 0 });
    });

    it('runs a job whose worker died mid-run exactly once after a restart', async () => {
      const leaseMs = 30_000;
      const dying = makeQueue({ leaseMs });
      let started = 0;
      // The first process starts the job and never finishes it (it "dies" holding the lease).
      dying.setHandlers({ report: () => { started++; return new Promise<void>(() => {}); } });
      await dying.enqueue('report', { day: '2026-03-20' });
      void dying.runDue();
      await vi.waitFor(async () => expect((await dying.stats()).running).toBe(1));

      const effects: unknown[] = [];
      const restarted = makeQueue({ leaseMs });
      restarted.setHandlers({ report: async (payload) => void effects.push(payload) });
      expect(await restarted.runDue()).toBe(0); // lease still held
      clock.advance(leaseMs + 1);
      expect(await restarted.runDue()).toBe(1);
      expect(await restarted.runDue()).toBe(0);
      expect(effects).toEqual([{ day: '2026-03-20' }]);
      expect(started).toBe(1);
      expect(await restarted.stats()).toEqual({ queued: 0, running: 0, dead: 0 });
    });

    it('retries with exponential backoff, then dead-letters, and replays', async () => {
      const queue = makeQueue();
      let attempts = 0;
      let healthy = false;
      queue.setHandlers({ flaky: async () => { attempts++; if (!healthy) throw new Error(`upstream 503 #${attempts}`); } });
      const { id } = await queue.enqueue('flaky', { x: 1 }, { maxAttempts: 3 });
      await queue.runDue();
      expect(attempts).toBe(1);
      clock.advance(999);
      await queue.runDue();
      expect(attempts).toBe(1); // first backoff is 1 s
      clock.advance(1);
      await queue.runDue();
      expect(attempts).toBe(2);
      clock.advance(1_999);
      await queue.runDue();
      expect(attempts).toBe(2); // second backoff is 2 s
      clock.advance(1);
      await queue.runDue();
      expect(attempts).toBe(3);
      clock.advance(3_600_000);
      await queue.runDue();
      expect(attempts).toBe(3);
      const dead = await queue.deadLetters();
      expect(dead).toEqual([expect.objectContaining({ id, name: 'flaky', payload: { x: 1 }, attempts: 3, maxAttempts: 3, lastError: 'upstream 503 #3' })]);
      expect((await queue.stats()).dead).toBe(1);

      healthy = true;
      expect(await queue.replay(id)).toBe(true);
      expect(await queue.replay(id)).toBe(false);
      await queue.runDue();
      expect(attempts).toBe(4);
      expect(await queue.deadLetters()).toEqual([]);
    });

    it('dead-letters a job nobody handles, with a clear error', async () => {
      const queue = makeQueue();
      queue.setHandlers({});
      await queue.enqueue('unknown-job', {}, { maxAttempts: 1 });
      await queue.runDue();
      const [dead] = await queue.deadLetters();
      expect(dead.lastError).toBe('no handler for job "unknown-job"');
    });

    it('fires a cron schedule at 06:00 local time in non-UTC timezones, once per fire, across DST', async () => {
      const queue = makeQueue();
      const fired: { tz: string; at: string }[] = [];
      queue.setHandlers({ report: async (payload) => void fired.push({ tz: (payload as { tz: string }).tz, at: new Date(clock.now()).toISOString() }) });
      clock.set('2026-03-28T00:00:00Z');
      for (const tz of ['America/Mexico_City', 'Europe/Madrid']) {
        const spec = { name: `daily-${tz}`, cron: '0 6 * * *', timezone: tz, job: 'report', payload: { tz } };
        await queue.schedule(spec);
        await queue.schedule(spec); // idempotent
      }
      expect(await db.kysely.selectFrom('schedules').select('name').execute()).toHaveLength(2);

      const tick = async (iso: string) => {
        clock.set(iso);
        await queue.runDue();
        await queue.runDue();
      };
      await tick('2026-03-28T04:59:00Z');
      expect(fired).toEqual([]);
      await tick('2026-03-28T05:00:00Z'); // 06:00 CET in Madrid
      expect(fired.map((f) => f.tz)).toEqual(['Europe/Madrid']);
      await tick('2026-03-28T12:00:00Z'); // 06:00 CST in Mexico City (UTC-6, no DST)
      expect(fired.map((f) => f.tz)).toEqual(['Europe/Madrid', 'America/Mexico_City']);
      await tick('2026-03-29T03:59:00Z');
      expect(fired).toHaveLength(2);
      await tick('2026-03-29T04:00:00Z'); // 06:00 CEST: Madrid moved to summer time that night
      expect(fired.map((f) => f.tz)).toEqual(['Europe/Madrid', 'America/Mexico_City', 'Europe/Madrid']);
      const next = await db.kysely.selectFrom('schedules').select(['name', 'next_run_at']).orderBy('name').execute();
      expect(next.map((s) => s.next_run_at.toISOString())).toEqual(['2026-03-29T12:00:00.000Z', '2026-03-30T04:00:00.000Z']);
    });

    it('rejects an invalid cron expression or timezone, naming it', async () => {
      const queue = makeQueue();
      await expect(queue.schedule({ name: 'x', cron: '61 6 * * *', timezone: 'UTC', job: 'j' })).rejects.toThrow('61 6 * * *');
      await expect(queue.schedule({ name: 'x', cron: '0 6 * * *', timezone: 'Mars/Olympus', job: 'j' })).rejects.toThrow('Mars/Olympus');
    });

    it('counts queued, running and dead jobs', async () => {
      const queue = makeQueue();
      await queue.enqueue('a', {});
      await queue.enqueue('b', {}, { delayMs: 10_000 });
      expect(await queue.stats()).toEqual({ queued: 2, running: 0, dead: 0 });
    });

    it('its worker loop picks up jobs enqueued while it runs, and stops cleanly', async () => {
      const queue = makeQueue({ pollMs: 10 });
      const seen: number[] = [];
      queue.start({ tick: async (p) => void seen.push((p as { n: number }).n) });
      await queue.enqueue('tick', { n: 1 });
      await vi.waitFor(() => expect(seen).toEqual([1]), { timeout: 5000 });
      await queue.enqueue('tick', { n: 2 });
      await vi.waitFor(() => expect(seen).toEqual([1, 2]), { timeout: 5000 });
      await queue.stop();
      await queue.enqueue('tick', { n: 3 });
      await new Promise((r) => setTimeout(r, 50));
      expect(seen).toEqual([1, 2]);
    });

    it.skipIf(adapter.name !== 'postgres')('lets two workers compete without running any job twice', async () => {
      const runs = new Map<number, number>();
      const handler = async (payload: unknown) => {
        const n = (payload as { n: number }).n;
        runs.set(n, (runs.get(n) ?? 0) + 1);
        // Long enough that both workers are claiming while the other is busy.
        await new Promise((r) => setTimeout(r, 10));
      };
      const a = makeQueue({ concurrency: 4 });
      const b = makeQueue({ concurrency: 4 });
      a.setHandlers({ work: handler });
      b.setHandlers({ work: handler });
      for (let n = 0; n < 50; n++) await a.enqueue('work', { n });
      const [ranA, ranB] = await Promise.all([a.runDue(), b.runDue()]);
      expect(ranA + ranB).toBe(50);
      expect(ranA).toBeGreaterThan(0);
      expect(ranB).toBeGreaterThan(0);
      expect([...runs.values()].every((count) => count === 1)).toBe(true);
      expect(runs.size).toBe(50);
    });
  });
}
