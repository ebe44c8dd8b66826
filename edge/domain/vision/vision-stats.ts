/**
 * How vision keeps up, per fleet, over the frames received in the last few minutes (shared by every instance, read
 * from the database): how many arrived, how many were analysed, skipped (by reason), failed or still wait, and the
 * analysis lag — settled_at minus received_at of analysed frames, all and high priority — at p50 and p95 (frames a
 * reviewer asked for are left out of the lag).
 * Shown in /metrics and on the admin console's health page.
 */
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';

/** The window the figures cover: long enough for a stable p95, short enough to show today's trouble. */
export const VISION_STATS_WINDOW_MINUTES = 15;

export interface FleetVisionStats {
  fleet_id: string;
  fleet_name: string;
  received: number;
  analysed: number;
  skipped: { stale: number; backlog: number };
  failed: number;
  pending: number;
  /** analysed / received; null when nothing arrived. */
  analysed_share: number | null;
  lag_p50_s: number | null;
  lag_p95_s: number | null;
  high_lag_p95_s: number | null;
}

export async function visionStats(
  db: Kysely<Database>,
  now: number,
  windowMinutes = VISION_STATS_WINDOW_MINUTES,
): Promise<FleetVisionStats[]> {
  const since = new Date(now - windowMinutes * 60_000);
  const lag = sql`extract(epoch from (fr.settled_at - fr.received_at))`;
  // A frame a reviewer had analysed (again) settles when they asked, not when the pipeline got to it: its time is
  // no measure of how far behind vision is, so it counts as analysed but not in the lag.
  const analysed = sql`fr.analysis_status = 'done' AND fr.settled_at IS NOT NULL AND fr.priority_reason IS DISTINCT FROM 'reviewer'`;
  const rows = await db
    .selectFrom('frames as fr')
    .innerJoin('fleets as f', 'f.id', 'fr.fleet_id')
    .select([
      'fr.fleet_id',
      'f.name as fleet_name',
      sql<number>`count(*)::int`.as('received'),
      sql<number>`(count(*) FILTER (WHERE fr.analysis_status = 'done'))::int`.as('analysed'),
      sql<number>`(count(*) FILTER (WHERE fr.analysis_status = 'skipped' AND fr.analysis ->> 'skipped_reason' = 'stale'))::int`.as(
        'stale',
      ),
      sql<number>`(count(*) FILTER (WHERE fr.analysis_status = 'skipped' AND fr.analysis ->> 'skipped_reason' = 'backlog'))::int`.as(
        'backlog',
      ),
      sql<number>`(count(*) FILTER (WHERE fr.analysis_status = 'failed'))::int`.as('failed'),
      sql<number>`(count(*) FILTER (WHERE fr.analysis_status = 'pending'))::int`.as('pending'),
      sql<number | null>`(percentile_cont(0.5) WITHIN GROUP (ORDER BY ${lag}) FILTER (WHERE ${analysed}))::float8`.as(
        'lag_p50',
      ),
      sql<number | null>`(percentile_cont(0.95) WITHIN GROUP (ORDER BY ${lag}) FILTER (WHERE ${analysed}))::float8`.as(
        'lag_p95',
      ),
      sql<
        number | null
      >`(percentile_cont(0.95) WITHIN GROUP (ORDER BY ${lag}) FILTER (WHERE ${analysed} AND fr.priority = 'high'))::float8`.as(
        'high_lag_p95',
      ),
    ])
    .where('fr.received_at', '>=', since)
    .groupBy(['fr.fleet_id', 'f.name'])
    .orderBy('f.name')
    .execute();
  const seconds = (v: number | null) => (v === null ? null : Math.round(Number(v) * 1000) / 1000);
  return rows.map((r) => ({
    fleet_id: r.fleet_id,
    fleet_name: r.fleet_name,
    received: r.received,
    analysed: r.analysed,
    skipped: { stale: r.stale, backlog: r.backlog },
    failed: r.failed,
    pending: r.pending,
    analysed_share: r.received === 0 ? null : Math.round((r.analysed / r.received) * 10_000) / 10_000,
    lag_p50_s: seconds(r.lag_p50),
    lag_p95_s: seconds(r.lag_p95),
    high_lag_p95_s: seconds(r.high_lag_p95),
  }));
}
