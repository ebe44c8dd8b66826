/**
 * The 06:00 daily report and the 02:00 retention jobs under a controlled clock, through the real schedule and the
 * durable queue, for fleets in Madrid, New York, Kolkata (+5:30) and Auckland, across Madrid's spring-forward day
 * (no 02:00: the cleanup starts at 03:00) and its fall-back day (two 02:00s: it starts at the first only). Each task
 * runs once per fleet and local day; a worker that dies in the middle of a report (file stored, not yet marked
 * ready) and one that dies in the middle of a cleanup (rows deleted, images not yet) are replaced by a new worker,
 * which finishes without a second report, a second announcement, or touching incident evidence.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPlatform, type TestPlatform } from '../e2e/support/test-platform.ts';
import { createDbQueue, type DbQueue } from '../edge/adapters/queue/db-queue.ts';
import { localDayAndMinute, shiftDay } from '../edge/domain/fleet-time.ts';
import { createFleet, createVehicle } from '../edge/domain/provisioning.ts';
import type { Platform } from '../edge/platform.ts';
import { jobHandlers, schedules } from './index.ts';
import { publishRaw } from '../e2e/support/publish-raw.ts';

const ZONES = ['Europe/Madrid', 'America/New_York', 'Asia/Kolkata', 'Pacific/Auckland'];
const WINDOWS = [
  ['2026-03-27T20:00:00Z', '2026-03-30T12:00:00Z'],
  ['2026-10-23T20:00:00Z', '2026-10-26T12:00:00Z'],
] as const;
const TICK = 15 * 60_000;
const DAY = 86_400_000;

describe('fleet-day schedule', () => {
  let platform: TestPlatform;
  const fleets: Array<{ id: string; timezone: string }> = [];
  const ticks: number[] = [];
  let restarts = 0;
  let madridVehicle: string;

  beforeAll(async () => {
    // Reports kept a year here, so March's are still there to count in October (their 30-day retention is tested elsewhere).
    platform = await createTestPlatform({ REPORT_RETENTION_DAYS: '365' });
    const deps = { db: platform.db.kysely, clock: platform.clock, ids: platform.ids };
    platform.clock.set('2026-03-10T00:00:00Z');
    for (const timezone of ZONES) fleets.push(await createFleet(deps, { name: `Fleet ${timezone}`, timezone, locale: timezone === 'Europe/Madrid' ? 'es' : 'en' }));
    madridVehicle = (await createVehicle(deps, { fleetId: fleets[0].id, plate: 'M-1' })).id;
    // Frames from the 15th: past the 7 days by the first cleanup. One is an incident's evidence.
    const at = (s: number) => new Date(Date.parse('2026-03-15T10:00:00Z') + s * 1000);
    for (const [i, s] of [0, 600, 1200, 1800, 1810].entries()) {
      const key = `frames/${madridVehicle}/f${i}.jpg`;
      await platform.blobs.put(key, new Uint8Array([0xff, 0xd8, 0xff, 0xd9]), { contentType: 'image/jpeg' });
      await platform.db.kysely.insertInto('frames').values({ id: `frame-${i}`, fleet_id: fleets[0].id, vehicle_id: madridVehicle, device_id: null, blob_key: key, captured_at: at(s), received_at: at(s), size_bytes: 4, width: 1, height: 1 }).execute();
    }
    await platform.db.kysely.insertInto('incidents').values({ id: 'evidence', fleet_id: fleets[0].id, vehicle_id: madridVehicle, driver_id: null, trip_id: null, frame_id: null, type: 'PHONE_USAGE', severity: 'HIGH', confidence: 0.9, source: 'vision', latitude: null, longitude: null, occurred_at: at(1800), last_seen_at: at(1800), status_changed_by: null, status_changed_at: null, status_reason: null, created_at: at(1800) }).execute();

    // Two workers die mid-task, once each: the first report stored for Madrid, and the first image deleted. A dead
    // worker's other jobs stop too, at their next use of blobs or the bus (the process is gone).
    const hang = () => new Promise<never>(() => {});
    let died: (() => void) | null = null;
    const hooks = { report: true, cleanup: true };
    const workerPlatform = (): Platform => {
      let dead = false;
      const die = () => {
        dead = true;
        died?.();
        return hang();
      };
      return {
        ...platform,
        bus: { ...platform.bus, publish: (...args) => (dead ? hang() : publishRaw(platform.bus, ...args)) },
        blobs: {
          ...platform.blobs,
          put: async (key, body, options) => {
            if (dead) return hang();
            await platform.blobs.put(key, body, options);
            if (hooks.report && key.startsWith(`reports/${fleets[0].id}/`)) {
              hooks.report = false;
              return die();
            }
          },
          delete: async (key) => {
            if (dead) return hang();
            if (hooks.cleanup && key.startsWith('frames/')) {
              hooks.cleanup = false;
              return die();
            }
            return platform.blobs.delete(key);
          },
        },
      };
    };
    let worker: DbQueue = platform.queue;
    worker.setHandlers(jobHandlers(workerPlatform()));
    // Registered just before the first window, so its first fire is the window's first tick; by the second window
    // it is long overdue, and fires at once (missed fires collapse into one).
    platform.clock.set(Date.parse(WINDOWS[0][0]) - 1);
    await worker.schedule(schedules.find((s) => s.name === 'start-fleet-days')!);
    for (const [from, to] of WINDOWS) {
      for (let t = Date.parse(from); t <= Date.parse(to); t += TICK) {
        platform.clock.set(t);
        ticks.push(t);
        // A tick's jobs run to the end, unless the worker dies: then a new one takes over from the next tick.
        const death = new Promise<'died'>((resolve) => (died = () => resolve('died')));
        if ((await Promise.race([worker.runDue(), death])) === 'died') {
          restarts++;
          worker = createDbQueue({ db: platform.db, clock: platform.clock, ids: platform.ids, log: platform.log });
          worker.setHandlers(jobHandlers(workerPlatform()));
        }
      }
      // Let the last tick's retries settle.
      for (let i = 0; i < 3; i++) {
        platform.clock.advance(TICK);
        await worker.runDue();
      }
    }
  }, 300_000);
  afterAll(() => platform.close());

  /** The local days on which a task's local time (in minutes) was reached at some tick. */
  const expectedDays = (timezone: string, minute: number, offset: number, createdAt: number) =>
    [...new Set(ticks.map((t) => localDayAndMinute(timezone, t)).filter((l) => l.minute >= minute).map((l) => shiftDay(l.day, offset)))].filter((day) => Date.parse(`${day}T23:59:59Z`) + DAY > createdAt).sort();

  it('ran each task once per fleet and local day, at the first tick at or after its local time', async () => {
    expect(restarts).toBe(2);
    const runs = await platform.db.kysely.selectFrom('fleet_day_runs').selectAll().orderBy('day').execute();
    for (const fleet of fleets) {
      const created = Date.parse('2026-03-10T00:00:00Z');
      const own = runs.filter((r) => r.fleet_id === fleet.id);
      for (const [task, minute, offset] of [['daily-report', 360, -1], ['purge-frames', 120, 0], ['purge-fixes', 120, 0], ['purge-reports', 120, 0], ['purge-evidence-packs', 120, 0]] as const) {
        const mine = own.filter((r) => r.task === task);
        expect(mine.map((r) => r.day), `${task} ${fleet.timezone}`).toEqual(expectedDays(fleet.timezone, minute, offset, created));
        for (const run of mine) {
          expect(run.status).toBe('done');
          // A window's first tick catches up with the day so far (a server that just started); after that, each task
          // is claimed within one tick of its local time, or an hour later where a DST jump skipped that time.
          if (WINDOWS.some(([from]) => run.created_at.getTime() === Date.parse(from))) continue;
          const late = localDayAndMinute(fleet.timezone, run.created_at.getTime()).minute - minute;
          const skipped = fleet.timezone === 'Europe/Madrid' && run.day === '2026-03-29' && minute === 120;
          if (skipped) expect(late).toBe(60);
          else expect(late, `${task} ${fleet.timezone} ${run.day}`).toBeGreaterThanOrEqual(0), expect(late, `${task} ${fleet.timezone} ${run.day} ${run.created_at.toISOString()}`).toBeLessThan(15);
        }
      }
    }
    const madrid = runs.filter((r) => r.fleet_id === fleets[0].id && r.task === 'purge-frames');
    // Spring forward: no 02:00 on the 29th, so 03:00 CEST; fall back: the first of the two 02:00s (CEST, not CET).
    expect(madrid.find((r) => r.day === '2026-03-29')!.created_at.toISOString()).toBe('2026-03-29T01:00:00.000Z');
    expect(madrid.find((r) => r.day === '2026-10-25')!.created_at.toISOString()).toBe('2026-10-25T00:00:00.000Z');
  });

  it('made one ready report per fleet-day, announced once, with one job each', async () => {
    const db = platform.db.kysely;
    const reports = await db.selectFrom('reports').selectAll().execute();
    const runs = await db.selectFrom('fleet_day_runs').select(['fleet_id', 'day']).where('task', '=', 'daily-report').execute();
    expect(reports).toHaveLength(runs.length);
    expect(reports.every((r) => r.status === 'ready' && r.kind === 'daily' && r.announced === 1)).toBe(true);
    for (const report of reports) expect(await platform.blobs.get(report.blob_key!)).not.toBeNull();
    const jobs = await db.selectFrom('jobs').select(['name', 'status', 'payload']).where('name', '=', 'daily-report').execute();
    expect(jobs).toHaveLength(runs.length);
    expect(jobs.every((j) => j.status === 'done')).toBe(true);
    for (const fleet of fleets) {
      const events = (await platform.bus.replay(fleet.id, null, 10_000)).filter((e) => e.type === 'report_ready');
      const own = reports.filter((r) => r.fleet_id === fleet.id);
      expect(events.map((e) => (e.data as { id: string }).id).sort()).toEqual(own.map((r) => r.id).sort());
    }
    const languages = new Set(reports.filter((r) => r.fleet_id === fleets[0].id).map((r) => r.language));
    expect([...languages]).toEqual(['es']);
  });

  it('deleted the old frames once, counted once, and kept the incident\'s evidence', async () => {
    const db = platform.db.kysely;
    // frame-2 (10 min before the incident) is outside its evidence window; frame-3 and frame-4 are inside it.
    expect((await db.selectFrom('frames').select('id').execute()).map((f) => f.id).sort()).toEqual(['frame-3', 'frame-4']);
    const deleted = await db.selectFrom('fleet_day_runs').select(({ fn }) => fn.sum<number>('deleted').as('n')).where('task', '=', 'purge-frames').executeTakeFirstOrThrow();
    expect(Number(deleted.n)).toBe(3);
    for (const id of ['frame-3', 'frame-4']) expect(await platform.blobs.get(`frames/${madridVehicle}/f${id.slice(-1)}.jpg`)).not.toBeNull();
  });
});
