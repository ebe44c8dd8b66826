/**
 * The 02:00 retention jobs on PGlite and Postgres: each kind deletes what is past its fleet's retention (rows and
 * blobs) and keeps incident evidence; a run resumes after a budget runs out or a crash, with the same cutoff, and a
 * finished run does nothing. Another fleet's data is never touched.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIncidentReviewFixture, type IncidentReviewFixture } from '../../e2e/support/incident-review-fixture.ts';
import { postgresAvailable } from '../../e2e/support/test-databases.ts';
import { jobHandlers } from '../index.ts';
import { startFleetDays } from '../start-fleet-days.ts';
import { retentionJob } from './retention-job.ts';

const DAY = 86_400_000;
const backends = [{ database: 'pglite' as const, up: true }, { database: 'postgres' as const, up: await postgresAvailable() }];
const context = { jobId: 'test', attempt: 1 };

describe.each(backends)('retention on $database', ({ database, up }) => {
  let f: IncidentReviewFixture;
  let now: number;
  const ago = (days: number, seconds = 0) => new Date(now - days * DAY + seconds * 1000);
  const db = () => f.platform.db.kysely;
  const frameIds = async () => (await db().selectFrom('frames').select('id').orderBy('id').execute()).map((r) => r.id);
  const hasBlob = async (key: string) => (await f.platform.blobs.get(key)) !== null;
  // The retention tasks only: start-fleet-days also starts other fleet-day tasks (the morning email digest).
  const runs = async () =>
    db().selectFrom('fleet_day_runs').select(['task', 'fleet_id', 'day', 'status', 'deleted']).where('task', 'like', 'purge-%').orderBy('task').orderBy('fleet_id').execute();

  beforeAll(async () => {
    if (!up) return;
    f = await createIncidentReviewFixture({ database });
    now = f.platform.clock.now();
    const A1 = { fleetId: f.fleetA, vehicleId: f.vehicleA1 };
    const A2 = { fleetId: f.fleetA, vehicleId: f.vehicleA2 };
    await f.addIncident({ id: 'inc-phone', ...A1, occurredAt: ago(40) });
    await f.addIncident({ id: 'inc-merged', ...A1, occurredAt: ago(45), lastSeenAt: ago(45, 300) });
    await f.addIncident({ id: 'inc-linked', ...A1, occurredAt: ago(38) });
    await f.addFrame({ id: 'f-old', ...A1, at: ago(40, -3600) }); // nobody's evidence
    await f.addFrame({ id: 'f-before-phone', ...A1, at: ago(40, -25) }); // 25 s before: inside an evidence pack
    await f.addFrame({ id: 'f-other-taxi', ...A2, at: ago(40, -5) }); // same moment, another taxi: not evidence
    await f.addFrame({ id: 'f-during-merge', ...A1, at: ago(45, 120) }); // between first and last sighting
    await f.addFrame({ id: 'f-linked', ...A1, at: ago(39) }); // a day away, but linked to an incident
    await f.addFrame({ id: 'f-just-after', ...A1, at: ago(45, 331) }); // 31 s after the last sighting: outside
    await f.addFrame({ id: 'f-8-days', ...A1, at: ago(8) });
    await f.addFrame({ id: 'f-recent', ...A1, at: ago(6) });
    await f.addFrame({ id: 'f-fleet-b', fleetId: f.fleetB, vehicleId: f.vehicleB, at: ago(40) });
    await db().insertInto('incident_frames').values({ incident_id: 'inc-linked', frame_id: 'f-linked', fleet_id: f.fleetA, added_at: ago(38) }).execute();
    for (const [days, seconds] of [[400, 0], [400, 60], [370, 0], [40, 60], [300, 0]]) await f.addFix({ ...A1, at: ago(days, seconds), latitude: 40.4, longitude: -3.7 });
    await f.addIncident({ id: 'inc-ancient', ...A1, occurredAt: ago(400) });
    for (const [id, days] of [['r-old', 31], ['r-new', 29]] as const) {
      await f.platform.blobs.put(`reports/${id}.pdf`, new Uint8Array([1]));
      await db().insertInto('reports').values({ id, fleet_id: f.fleetA, kind: 'on_demand', format: 'pdf', status: 'ready', from_day: '2026-01-01', to_day: '2026-01-01', vehicle_id: null, driver_id: null, language: 'es', requested_by: null, blob_key: `reports/${id}.pdf`, size_bytes: 1, pages: 1, error: null, created_at: ago(days), updated_at: ago(days), ready_at: ago(days) }).execute();
    }
    for (const [id, days] of [['p-old', 91], ['p-new', 80]] as const) {
      await f.platform.blobs.put(`evidence-packs/${id}.zip`, new Uint8Array([1]));
      await db().insertInto('evidence_packs').values({ id, fleet_id: f.fleetA, incident_id: 'inc-phone', blob_key: `evidence-packs/${id}.zip`, size_bytes: 1, sha256: 'x', frames: 0, created_by: null, created_at: ago(days) }).execute();
    }
  });
  afterAll(() => f?.platform.close());

  it.skipIf(!up)('keeps everything for a fleet whose retention is 0, and touches no other fleet', async () => {
    await db().updateTable('fleets').set({ retention: JSON.stringify({ frames_days: 0 }) }).where('id', '=', f.fleetA).execute();
    await retentionJob('frames')(f.platform, { fleetId: f.fleetA, day: '2026-05-01' }, context);
    expect(await frameIds()).toHaveLength(9);
    expect((await runs()).find((r) => r.day === '2026-05-01')).toMatchObject({ status: 'done', deleted: 0 });
    await db().updateTable('fleets').set({ retention: '{}' }).where('id', '=', f.fleetA).execute();
  });

  it.skipIf(!up)('starts one job per kind at 02:00, resumes after its budget and after a crash, and keeps evidence', async () => {
    const platform = f.platform;
    // The first continuation cannot be sent (the queue is unreachable): the job fails after its first batch.
    let failEnqueue = true;
    const flaky = { ...platform, queue: { ...platform.queue, enqueue: (async (name, payload, options) => {
      if (failEnqueue && name === 'purge-frames' && (payload as { batchSize?: number }).batchSize) {
        failEnqueue = false;
        throw new Error('queue unreachable');
      }
      return platform.queue.enqueue(name, payload, options);
    }) as typeof platform.queue.enqueue } };
    // Tiny batches and budget, so each kind needs several runs.
    const handlers = jobHandlers(flaky);
    const tiny = Object.fromEntries(Object.entries(handlers).map(([name, run]) => [name, (payload: unknown, ctx: typeof context) => run(name.startsWith('purge-') ? { ...(payload as object), batchSize: 1, budgetMs: 1 } : payload, ctx)]));
    platform.queue.setHandlers(tiny);
    await startFleetDays(flaky, null, context);
    await startFleetDays(flaky, null, context); // a second tick sends nothing again
    for (let i = 0; i < 40 && (await platform.queue.runDue()) > 0; i++) platform.clock.advance(2_000);

    expect(await frameIds()).toEqual(['f-before-phone', 'f-during-merge', 'f-linked', 'f-recent']);
    for (const gone of ['f-old', 'f-other-taxi', 'f-just-after', 'f-8-days', 'f-fleet-b']) expect(await hasBlob(`frames/test/${gone}.jpg`), gone).toBe(false);
    for (const kept of ['f-before-phone', 'f-during-merge', 'f-linked', 'f-recent']) expect(await hasBlob(`frames/test/${kept}.jpg`), kept).toBe(true);
    const fixes = await db().selectFrom('gps_fixes').select('device_time').orderBy('device_time').execute();
    // 370 days old: gone; the two beside inc-ancient stay (its track), the others are within 365 days.
    expect(fixes.map((x) => Math.round((now - x.device_time.getTime()) / DAY))).toEqual([400, 400, 300, 40]);
    expect((await db().selectFrom('reports').select('id').execute()).map((r) => r.id)).toEqual(['r-new']);
    expect(await hasBlob('reports/r-old.pdf')).toBe(false);
    expect((await db().selectFrom('evidence_packs').select('id').execute()).map((r) => r.id)).toEqual(['p-new']);
    expect(await hasBlob('evidence-packs/p-old.zip')).toBe(false);

    const today = (await runs()).filter((r) => r.day === '2026-06-01' && r.fleet_id === f.fleetA);
    expect(today.map((r) => [r.task, r.status, r.deleted])).toEqual([
      ['purge-evidence-packs', 'done', 1],
      ['purge-fixes', 'done', 1],
      ['purge-frames', 'done', 4],
      ['purge-reports', 'done', 1],
    ]);
    expect(failEnqueue).toBe(false);
    // Fleet B's own run took its own old frame and nothing else.
    expect((await runs()).filter((r) => r.fleet_id === f.fleetB && r.deleted > 0).map((r) => [r.task, r.deleted])).toEqual([['purge-frames', 1]]);

    // A finished run does nothing, even when its job is delivered again.
    await f.addFrame({ id: 'f-late', fleetId: f.fleetA, vehicleId: f.vehicleA1, at: ago(20) });
    await retentionJob('frames')(platform, { fleetId: f.fleetA, day: '2026-06-01' }, context);
    expect(await frameIds()).toContain('f-late');
  });
});
