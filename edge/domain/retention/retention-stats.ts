/** What the 02:00 retention jobs deleted, per kind, read from their runs (shared by every instance): /metrics and the admin console. */
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { RETENTION_KINDS, type RetentionKind } from './retention-settings.ts';

export interface RetentionStats {
  kind: RetentionKind;
  deleted_24h: number;
  deleted_7d: number;
  deleted_total: number;
  last_finished_at: string | null;
  /** Runs started and not yet finished (a big backlog being worked through, or a stuck job). */
  pending_runs: number;
}

const kindOf = (task: string) => task.replace(/^purge-/, '').replace('-', '_') as RetentionKind;

export async function retentionStats(db: Kysely<Database>, now: number): Promise<RetentionStats[]> {
  const day = new Date(now - 86_400_000);
  const week = new Date(now - 7 * 86_400_000);
  const rows = await db
    .selectFrom('fleet_day_runs')
    .select([
      'task',
      sql<number>`coalesce(sum(deleted) FILTER (WHERE updated_at >= ${day}), 0)::float8`.as('deleted_24h'),
      sql<number>`coalesce(sum(deleted) FILTER (WHERE updated_at >= ${week}), 0)::float8`.as('deleted_7d'),
      sql<number>`coalesce(sum(deleted), 0)::float8`.as('deleted_total'),
      sql<Date | null>`max(finished_at)`.as('last_finished_at'),
      sql<number>`count(*) FILTER (WHERE status = 'pending')::int`.as('pending_runs'),
    ])
    .where('task', 'like', 'purge-%')
    .groupBy('task')
    .execute();
  const byKind = new Map(rows.map((r) => [kindOf(r.task), r]));
  return RETENTION_KINDS.map((kind) => {
    const r = byKind.get(kind);
    const last = r?.last_finished_at ? new Date(r.last_finished_at).toISOString() : null;
    return { kind, deleted_24h: r?.deleted_24h ?? 0, deleted_7d: r?.deleted_7d ?? 0, deleted_total: r?.deleted_total ?? 0, last_finished_at: last, pending_runs: r?.pending_runs ?? 0 };
  });
}
