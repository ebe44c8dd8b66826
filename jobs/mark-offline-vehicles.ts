/**
 * Every minute: a vehicle that has not reported for its fleet's `offline_minutes` becomes `offline` (published as
 * `vehicle_status` and to webhooks), and a trip it left open is shown as ended where the engine would end it —
 * when the silence is longer than the stop time. Its state is left alone, so if the unit was only out of coverage
 * and uploads its backlog, the pipeline continues the trip exactly as if it had never been marked.
 */
import { announceTelemetry } from '../edge/domain/telemetry/announce-telemetry.ts';
import { telemetrySettings } from '../edge/domain/telemetry/settings.ts';
import type { TelemetryState } from '../edge/domain/telemetry/telemetry-types.ts';
import { tripEndIfClosed, tripRecord } from '../edge/domain/telemetry/trip-segmentation.ts';
import type { Job } from './job.ts';

export const markOfflineVehicles: Job = async (platform) => {
  const db = platform.db.kysely;
  const now = platform.clock.now();
  const candidates = await db
    .selectFrom('vehicle_telemetry as vt')
    .innerJoin('fleets as f', 'f.id', 'vt.fleet_id')
    .innerJoin('vehicles as v', 'v.id', 'vt.vehicle_id')
    .select(['vt.vehicle_id', 'vt.fleet_id', 'vt.state', 'vt.last_report_at', 'f.speed_limit_kmh', 'f.telemetry', 'v.plate'])
    .where('vt.status', '<>', 'offline')
    .where('vt.last_report_at', '<', new Date(now - 60_000))
    .execute();
  for (const row of candidates) {
    const settings = telemetrySettings(row);
    const silentMs = now - row.last_report_at!.getTime();
    if (silentMs < settings.offlineMinutes * 60_000) continue;
    const marked = await db
      .updateTable('vehicle_telemetry')
      .set({ status: 'offline', status_changed_at: new Date(now) })
      .where('vehicle_id', '=', row.vehicle_id)
      .where('status', '<>', 'offline')
      .where('last_report_at', '=', row.last_report_at) // a report that arrived meanwhile wins
      .returning('vehicle_id')
      .executeTakeFirst();
    if (!marked) continue;
    const trip = (row.state as TelemetryState).trip;
    const lastFixAt = (row.state as TelemetryState).last?.at ?? 0;
    if (trip && now - lastFixAt > settings.tripEndStopMinutes * 60_000) {
      const ended = tripRecord(trip, tripEndIfClosed(trip));
      await db
        .updateTable('trips')
        .set({ ended_at: new Date(ended.endedAt!), duration_s: ended.durationS, avg_speed_kmh: ended.avgSpeedKmh }).where('vehicle_id', '=', row.vehicle_id).where('started_at', '=', new Date(trip.startedAt)).where('ended_at', 'is', null).execute();
    }
    await announceTelemetry(platform, { vehicleId: row.vehicle_id, fleetId: row.fleet_id }, { newIncidents: [], withdrawnIncidentIds: [], statusChange: { status: 'offline', at: now }, recomputedFrom: null, ruleErrors: [], plate: row.plate });
  }
};
