/**
 * Telemetry detections under the merge rule. The telemetry engine re-derives its incidents whenever fixes arrive
 * late, and relies on each detection's natural key (vehicle, type, time) to change nothing the second time. Each
 * detection is therefore kept as an occurrence under that key, pointing at the incident it was merged into: a
 * detection already recorded is skipped, and one the fixes no longer support is withdrawn from its incident (which
 * goes only when no occurrence is left). Several occurrences can then share one incident and one alert.
 */
import type { Transaction } from 'kysely';
import type { Database, Severity } from '../../db/schema.ts';
import { SEVERITIES } from '../vision/vision-verdict.ts';
import { incidentAnnouncement, type Announcement } from './announce-incident.ts';
import { recordIncident, type Detection, type RecordOptions } from './record-incident.ts';

type Tx = Transaction<Database>;

export interface TelemetryDetection extends Omit<Detection, 'source' | 'frameId'> {}

export interface RecordedOccurrence {
  incidentId: string;
  /** Null when the occurrence joined an open incident (no new alert). */
  alertId: string | null;
  announcement: Announcement;
}

/** Records a detection not seen before (by its natural key); null when it was already recorded. */
export async function recordTelemetryOccurrence(tx: Tx, detection: TelemetryDetection, options: RecordOptions): Promise<RecordedOccurrence | null> {
  const known = await tx
    .selectFrom('incident_occurrences')
    .select('incident_id')
    .where('vehicle_id', '=', detection.vehicleId)
    .where('type', '=', detection.type)
    .where('occurred_at', '=', detection.occurredAt)
    .executeTakeFirst();
  if (known) {
    // Seen again by a recomputation: if the trip it was in was rewritten (a backlog moved the trip's start, so the
    // trip is a new row and the old one's deletion nulled this link), it points at the trip it is in now.
    if (detection.tripId) await tx.updateTable('incidents').set({ trip_id: detection.tripId }).where('id', '=', known.incident_id).where('trip_id', 'is', null).execute();
    return null;
  }
  const full: Detection = { ...detection, source: 'telemetry', frameId: null };
  const recorded = await recordIncident(tx, full, options);
  await tx
    .insertInto('incident_occurrences')
    .values({ vehicle_id: detection.vehicleId, type: detection.type, occurred_at: detection.occurredAt, incident_id: recorded.incidentId, fleet_id: detection.fleetId, severity: detection.severity })
    .execute();
  return { incidentId: recorded.incidentId, alertId: recorded.kind === 'created' ? recorded.alertId : null, announcement: incidentAnnouncement(full, recorded) };
}

/**
 * After a recomputation from `from`: occurrences the fixes no longer support are removed from their incidents —
 * only while nobody has reviewed the incident (a reviewed incident is a person's record and stays). An incident
 * left without occurrences is deleted (its alert with it) and its id returned; one that keeps some is narrowed to
 * them (count, first and last seen, highest severity).
 */
export async function withdrawTelemetryOccurrences(tx: Tx, vehicleId: string, from: number, stillDetected: { type: string; occurredAt: number }[]): Promise<string[]> {
  const keep = new Set(stillDetected.map((i) => `${i.type}@${i.occurredAt}`));
  const candidates = await tx
    .selectFrom('incident_occurrences as o')
    .innerJoin('incidents as i', 'i.id', 'o.incident_id')
    .select(['o.type', 'o.occurred_at', 'o.incident_id'])
    .where('o.vehicle_id', '=', vehicleId)
    .where('i.source', '=', 'telemetry')
    .where('i.status', '=', 'open')
    .where('o.occurred_at', '>=', new Date(from))
    .execute();
  const gone = candidates.filter((c) => !keep.has(`${c.type}@${c.occurred_at.getTime()}`));
  if (gone.length === 0) return [];
  for (const g of gone) {
    await tx.deleteFrom('incident_occurrences').where('vehicle_id', '=', vehicleId).where('type', '=', g.type).where('occurred_at', '=', g.occurred_at).execute();
  }
  const withdrawn: string[] = [];
  for (const incidentId of new Set(gone.map((g) => g.incident_id))) {
    const left = await tx.selectFrom('incident_occurrences').select(['occurred_at', 'severity']).where('incident_id', '=', incidentId).orderBy('occurred_at').execute();
    if (left.length === 0) {
      await tx.deleteFrom('incidents').where('id', '=', incidentId).execute();
      withdrawn.push(incidentId);
      continue;
    }
    const severity = left.reduce<Severity>((max, o) => (SEVERITIES.indexOf(o.severity) > SEVERITIES.indexOf(max) ? o.severity : max), 'LOW');
    await tx
      .updateTable('incidents')
      .set({ occurrences: left.length, occurred_at: left[0]!.occurred_at, last_seen_at: left.at(-1)!.occurred_at, severity })
      .where('id', '=', incidentId)
      .execute();
  }
  return withdrawn;
}
