/**
 * How often incidents turn out to be false positives, per type and per vehicle: a type with a high rate needs a
 * better model or threshold, a vehicle with one often needs its camera looked at. Counts incidents (a merged
 * incident counts once, whatever its occurrences); the rate is of reviewed incidents, null while none is reviewed.
 */
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';

export interface StatsFilter {
  /** null: every fleet (platform admins only). */
  fleetId: string | null;
  vehicleId?: string;
  from?: Date;
  to?: Date;
}

export interface StatsRow {
  total: number;
  reviewed: number;
  false_positive: number;
  false_positive_rate: number | null;
}

const counts = {
  total: sql<number>`count(*)`.as('total'),
  reviewed: sql<number>`count(*) filter (where incidents.status <> 'open')`.as('reviewed'),
  false_positive: sql<number>`count(*) filter (where incidents.status = 'false_positive')`.as('false_positive'),
};

function withRate<T extends { total: number | string; reviewed: number | string; false_positive: number | string }>(row: T): Omit<T, keyof StatsRow> & StatsRow {
  // Counts are int8: numbers from every Db adapter, but Number() keeps this honest should one ever hand back strings.
  const total = Number(row.total);
  const reviewed = Number(row.reviewed);
  const falsePositive = Number(row.false_positive);
  return { ...row, total, reviewed, false_positive: falsePositive, false_positive_rate: reviewed === 0 ? null : Math.round((falsePositive / reviewed) * 10_000) / 10_000 };
}

export async function falsePositiveStats(db: Kysely<Database>, filter: StatsFilter) {
  const base = () => {
    let query = db.selectFrom('incidents');
    if (filter.fleetId !== null) query = query.where('incidents.fleet_id', '=', filter.fleetId);
    if (filter.vehicleId) query = query.where('incidents.vehicle_id', '=', filter.vehicleId);
    if (filter.from) query = query.where('incidents.occurred_at', '>=', filter.from);
    if (filter.to) query = query.where('incidents.occurred_at', '<=', filter.to);
    return query;
  };
  const [overall, byType, byVehicle, byReason] = await Promise.all([
    base().select([counts.total, counts.reviewed, counts.false_positive]).executeTakeFirstOrThrow(),
    base().select(['incidents.type', counts.total, counts.reviewed, counts.false_positive]).groupBy('incidents.type').orderBy('incidents.type').execute(),
    base()
      .innerJoin('vehicles', 'vehicles.id', 'incidents.vehicle_id')
      .select(['incidents.vehicle_id', 'vehicles.plate', counts.total, counts.reviewed, counts.false_positive])
      .groupBy(['incidents.vehicle_id', 'vehicles.plate'])
      .orderBy('vehicles.plate')
      .orderBy('incidents.vehicle_id')
      .execute(),
    base()
      .select(['incidents.status_reason_code as reason_code', sql<number>`count(*)`.as('count')])
      .where('incidents.status', '=', 'false_positive')
      .groupBy('incidents.status_reason_code')
      .orderBy('incidents.status_reason_code')
      .execute(),
  ]);
  return {
    overall: withRate(overall),
    by_type: byType.map(withRate),
    by_vehicle: byVehicle.map(withRate),
    false_positive_reasons: byReason.map((r) => ({ reason_code: r.reason_code, count: Number(r.count) })),
  };
}
