/**
 * An incident's evidence in one payload: the incident, its vehicle, the frames around it and those merged into it
 * (incident_frames; each with its analysis in brief and a short-lived download URL) and the GPS track around it, as points and as GeoJSON. The caller has
 * already found the incident within the right tenant; every query here is also bound to the incident's fleet.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { Blobs } from '../../ports/blobs.ts';
import { evidenceWindow, type EvidenceWindowOptions } from './evidence-window.ts';
import { trackAsGeoJson, type TrackPoint } from './track-geojson.ts';

/** Long enough to look at the frames, short enough that a copied URL soon stops working. */
export const EVIDENCE_URL_TTL_SECONDS = 300;
export const MAX_EVIDENCE_FRAMES = 200;
export const MAX_TRACK_POINTS = 2000;

export interface EvidenceIncident {
  id: string;
  fleet_id: string;
  vehicle_id: string;
  occurred_at: Date;
  last_seen_at: Date;
  [column: string]: unknown;
}

export interface AnalysisSummary {
  status: string;
  incident_detected: boolean | null;
  type: string | null;
  severity: string | null;
  confidence: number | null;
  description: string | null;
}

/** The verdict fields of a frame's stored analysis, whatever else the analyser kept beside them (signals, usage). */
export function summariseAnalysis(status: string, analysis: unknown): AnalysisSummary {
  const a = analysis && typeof analysis === 'object' ? (analysis as Record<string, unknown>) : {};
  const verdict = a.verdict && typeof a.verdict === 'object' ? (a.verdict as Record<string, unknown>) : a;
  const pick = <T>(key: string, type: 'boolean' | 'string' | 'number') => (typeof verdict[key] === type ? (verdict[key] as T) : null);
  return {
    status,
    incident_detected: pick<boolean>('incident_detected', 'boolean'),
    type: pick<string>('type', 'string'),
    severity: pick<string>('severity', 'string'),
    confidence: pick<number>('confidence', 'number'),
    description: pick<string>('description', 'string'),
  };
}

export async function loadIncidentEvidence(deps: { db: Kysely<Database>; blobs: Blobs }, incident: EvidenceIncident, options?: EvidenceWindowOptions) {
  const window = evidenceWindow(incident, options);
  const linked = deps.db.selectFrom('incident_frames').select('frame_id').where('incident_id', '=', incident.id);
  const [vehicle, frames, fixes, linkedIds] = await Promise.all([
    deps.db.selectFrom('vehicles').select(['id', 'plate']).where('id', '=', incident.vehicle_id).where('fleet_id', '=', incident.fleet_id).executeTakeFirst(),
    deps.db
      .selectFrom('frames')
      .select(['id', 'blob_key', 'captured_at', 'width', 'height', 'size_bytes', 'analysis_status', 'analysis'])
      .where('fleet_id', '=', incident.fleet_id)
      .where('vehicle_id', '=', incident.vehicle_id)
      // The window, plus any frame merged into the incident that fell outside it (a long cooldown, a narrow window).
      .where((eb) => eb.or([eb.and([eb('captured_at', '>=', window.framesFrom), eb('captured_at', '<=', window.framesTo)]), eb('id', 'in', linked)]))
      .orderBy('captured_at')
      .orderBy('id')
      .limit(MAX_EVIDENCE_FRAMES + 1)
      .execute(),
    deps.db
      .selectFrom('gps_fixes')
      .select(['device_time', 'latitude', 'longitude', 'speed_kmh', 'heading'])
      .where('fleet_id', '=', incident.fleet_id)
      .where('vehicle_id', '=', incident.vehicle_id)
      .where('device_time', '>=', window.trackFrom)
      .where('device_time', '<=', window.trackTo)
      .orderBy('device_time')
      .limit(MAX_TRACK_POINTS + 1)
      .execute(),
    linked.execute(),
  ]);
  const incidentFrames = new Set([incident.frame_id, ...linkedIds.map((l) => l.frame_id)]);
  const shownFrames = frames.slice(0, MAX_EVIDENCE_FRAMES);
  const points: TrackPoint[] = fixes.slice(0, MAX_TRACK_POINTS).map((f) => ({
    at: f.device_time.toISOString(),
    latitude: f.latitude,
    longitude: f.longitude,
    speed_kmh: f.speed_kmh,
    heading: f.heading,
  }));
  return {
    incident: jsonSafe(incident),
    vehicle: vehicle ?? null,
    window: {
      frames_from: window.framesFrom.toISOString(),
      frames_to: window.framesTo.toISOString(),
      track_from: window.trackFrom.toISOString(),
      track_to: window.trackTo.toISOString(),
    },
    frames: await Promise.all(
      shownFrames.map(async (f) => ({
        id: f.id,
        captured_at: f.captured_at.toISOString(),
        width: f.width,
        height: f.height,
        size_bytes: f.size_bytes,
        is_incident_frame: incidentFrames.has(f.id),
        analysis: summariseAnalysis(f.analysis_status, f.analysis),
        download_url: await deps.blobs.signedUrl(f.blob_key, { expiresInSeconds: EVIDENCE_URL_TTL_SECONDS }),
      })),
    ),
    frames_truncated: frames.length > MAX_EVIDENCE_FRAMES,
    download_urls_expire_in: EVIDENCE_URL_TTL_SECONDS,
    track: { points, truncated: fixes.length > MAX_TRACK_POINTS, geojson: trackAsGeoJson(points) },
  };
}

export type IncidentEvidence = Awaited<ReturnType<typeof loadIncidentEvidence>>;

function jsonSafe(row: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(row).map(([k, v]) => [k, v instanceof Date ? v.toISOString() : v]));
}
