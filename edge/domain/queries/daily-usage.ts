/**
 * What calling models cost, per fleet and UTC day, read back with totals: vision (vision_usage_daily) and the
 * assistant (assistant_usage_daily) are kept and reported the same way. `fleetId` null: every fleet (admins).
 */
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';

export const USAGE_COUNTERS = {
  vision_usage_daily: ['frames', 'model_calls', 'input_tokens', 'output_tokens', 'cost_usd'],
  assistant_usage_daily: ['questions', 'model_calls', 'input_tokens', 'output_tokens', 'cost_usd'],
} as const;
export type UsageTable = keyof typeof USAGE_COUNTERS;

export interface UsageDay {
  day: string;
  fleet_id: string;
  [counter: string]: number | string;
}

/** Days from `from` to `to` (YYYY-MM-DD, inclusive), oldest first, and the sum of every counter. */
export async function dailyUsage(db: Kysely<Database>, table: UsageTable, range: { fleetId: string | null; from: string; to: string }) {
  const counters = USAGE_COUNTERS[table];
  // Both tables share (fleet_id, day) and numeric counters; Kysely cannot type a table chosen at run time.
  let query = (db as Kysely<any>)
    .selectFrom(table)
    .select(['fleet_id', sql<string>`to_char(day, 'YYYY-MM-DD')`.as('day'), ...counters])
    .where('day', '>=', range.from)
    .where('day', '<=', range.to)
    .orderBy('day')
    .orderBy('fleet_id');
  if (range.fleetId) query = query.where('fleet_id', '=', range.fleetId);
  // bigint columns arrive as strings from some drivers: numbers here, once.
  const days = (await query.execute()).map((row: Record<string, unknown>) => ({
    day: String(row.day),
    fleet_id: String(row.fleet_id),
    ...Object.fromEntries(counters.map((k) => [k, Number(row[k])])),
  })) as UsageDay[];
  const totals = Object.fromEntries(counters.map((k) => [k, days.reduce((sum, d) => sum + (d[k] as number), 0)])) as Record<(typeof counters)[number], number>;
  totals.cost_usd = Math.round(totals.cost_usd * 1e6) / 1e6;
  return { days, totals };
}
