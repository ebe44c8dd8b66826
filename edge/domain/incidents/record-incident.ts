/**
 * Records a detection as an incident without spamming: the same type on the same vehicle within the merge window
 * of an open (or acknowledged) incident's last sighting updates that incident — one more occurrence, last seen,
 * the highest severity and confidence, one more evidence frame — instead of opening another with its own alert.
 * Otherwise a new incident and its alert are created; the alert's message is written in the fleet's language.
 *
 * Runs inside the caller's transaction (so the detection's other writes commit with it or not at all) and holds a
 * per-vehicle advisory lock, so two frames of one taxi analysed at once cannot both open an incident.
 */
import { sql, type Transaction } from 'kysely';
import type { Database, Severity } from '../../db/schema.ts';
import { SEVERITIES } from '../vision/vision-verdict.ts';
import { alertMessage } from './incident-labels.ts';

type Tx = Transaction<Database>;

export interface Detection {
  fleetId: string;
  vehicleId: string;
  type: string;
  severity: Severity;
  confidence: number | null;
  description: string;
  source: 'vision' | 'telemetry';
  occurredAt: Date;
  frameId?: string | null;
  tripId?: string | null;
  latitude?: number | null;
  longitude?: number | null;
}

export type RecordedIncident =
  | { kind: 'created'; incidentId: string; alertId: string; plate: string }
  | { kind: 'merged'; incidentId: string; plate: string; occurrences: number; severity: Severity; lastSeenAt: Date; previousSeverity: Severity; status: 'open' | 'acknowledged' };

export interface RecordOptions {
  /** 0 turns merging off. */
  mergeWindowMs: number;
  now: Date;
  newId: () => string;
}

const rank = (s: Severity) => SEVERITIES.indexOf(s);

/** Serialises incident writes per vehicle until the transaction ends (hashtext: advisory keys are integers). */
export async function lockVehicleIncidents(tx: Tx, vehicleId: string): Promise<void> {
  await sql`SELECT pg_advisory_xact_lock(hashtext(${`incidents:${vehicleId}`}))`.execute(tx);
}

export async function recordIncident(tx: Tx, detection: Detection, options: RecordOptions): Promise<RecordedIncident> {
  await lockVehicleIncidents(tx, detection.vehicleId);
  const vehicle = await tx
    .selectFrom('vehicles as v')
    .innerJoin('fleets as f', 'f.id', 'v.fleet_id')
    .select(['v.plate', 'f.locale'])
    .where('v.id', '=', detection.vehicleId)
    .executeTakeFirstOrThrow();
  const open = await findMergeTarget(tx, detection, options.mergeWindowMs);
  if (open) {
    const severity = rank(detection.severity) > rank(open.severity) ? detection.severity : open.severity;
    const lastSeenAt = new Date(Math.max(open.last_seen_at.getTime(), detection.occurredAt.getTime()));
    const updated = await tx
      .updateTable('incidents')
      .set({
        occurrences: sql`occurrences + 1`,
        last_seen_at: lastSeenAt,
        severity,
        confidence: detection.confidence === null ? open.confidence : Math.max(open.confidence ?? 0, detection.confidence),
      })
      .where('id', '=', open.id)
      .returning('occurrences')
      .executeTakeFirstOrThrow();
    await addEvidence(tx, open.id, detection, options.now);
    return { kind: 'merged', incidentId: open.id, plate: vehicle.plate, occurrences: updated.occurrences, severity, lastSeenAt, previousSeverity: open.severity, status: open.status as 'open' | 'acknowledged' };
  }

  const incidentId = options.newId();
  await tx
    .insertInto('incidents')
    .values({
      id: incidentId,
      fleet_id: detection.fleetId,
      vehicle_id: detection.vehicleId,
      trip_id: detection.tripId ?? null,
      frame_id: detection.frameId ?? null,
      type: detection.type,
      severity: detection.severity,
      confidence: detection.confidence,
      description: detection.description,
      source: detection.source,
      latitude: detection.latitude ?? null,
      longitude: detection.longitude ?? null,
      occurred_at: detection.occurredAt,
      last_seen_at: detection.occurredAt,
      created_at: options.now,
    })
    .execute();
  const alertId = options.newId();
  await tx
    .insertInto('alerts')
    .values({ id: alertId, fleet_id: detection.fleetId, incident_id: incidentId, vehicle_id: detection.vehicleId, severity: detection.severity, message: alertMessage(detection.type, vehicle.plate, detection.description, vehicle.locale), created_at: options.now })
    .execute();
  await addEvidence(tx, incidentId, detection, options.now);
  return { kind: 'created', incidentId, alertId, plate: vehicle.plate };
}

/**
 * The open incident a detection belongs to: same vehicle and type, not yet resolved or dismissed, last seen within
 * the window before it (or first seen within the window after it: frames and fixes arrive out of order).
 */
function findMergeTarget(tx: Tx, d: Detection, windowMs: number) {
  if (windowMs <= 0) return Promise.resolve(undefined);
  const at = d.occurredAt.getTime();
  return tx
    .selectFrom('incidents')
    .select(['id', 'severity', 'confidence', 'last_seen_at', 'status'])
    .where('vehicle_id', '=', d.vehicleId)
    .where('type', '=', d.type)
    .where('status', 'in', ['open', 'acknowledged'])
    .where('last_seen_at', '>=', new Date(at - windowMs))
    .where('occurred_at', '<=', new Date(at + windowMs))
    .orderBy('last_seen_at', 'desc')
    .limit(1)
    .executeTakeFirst();
}

async function addEvidence(tx: Tx, incidentId: string, d: Detection, now: Date): Promise<void> {
  if (!d.frameId) return;
  await tx
    .insertInto('incident_frames')
    .values({ incident_id: incidentId, frame_id: d.frameId, fleet_id: d.fleetId, added_at: now })
    .onConflict((oc) => oc.columns(['incident_id', 'frame_id']).doNothing())
    .execute();
}
