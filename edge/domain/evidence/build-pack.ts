/**
 * An incident's evidence pack (the seed's "clip", for cameras that send stills): the frames from 30 s before to
 * 30 s after (and any merged into it), the GPS track and telemetry around it, the verdicts (each frame's analysis,
 * the telemetry detections, the review), signed (pack-format.ts) and stored in blobs, kept EVIDENCE_PACK_RETENTION_DAYS.
 */
import type { Selectable } from 'kysely';
import type { IncidentsTable } from '../../db/schema.ts';
import type { Platform } from '../../platform.ts';
import { sha256HexOfBytes } from '../bytes.ts';
import { evidenceWindow } from './evidence-window.ts';
import { summariseAnalysis } from './incident-evidence.ts';
import { assemblePack, type PackFile } from './pack-format.ts';
import { packSigner } from './pack-signing.ts';
import { EVIDENCE_PACK_WINDOW } from './pack-window.ts';
import { trackAsGeoJson } from './track-geojson.ts';

export const MAX_PACK_FRAMES = 200;
const MAX_PACK_FIXES = 5000;
const json = (value: unknown): Uint8Array => new TextEncoder().encode(`${JSON.stringify(value, null, 2)}\n`);
const iso = (value: unknown) => (value instanceof Date ? value.toISOString() : value);

export async function buildEvidencePack(platform: Platform, incident: Selectable<IncidentsTable>, createdBy: string | null) {
  const db = platform.db.kysely;
  const window = evidenceWindow(incident, EVIDENCE_PACK_WINDOW);
  const linked = db.selectFrom('incident_frames').select('frame_id').where('incident_id', '=', incident.id);
  const [vehicle, driver, frames, fixes, detections] = await Promise.all([
    db.selectFrom('vehicles').select(['id', 'plate']).where('id', '=', incident.vehicle_id).executeTakeFirst(),
    incident.driver_id ? db.selectFrom('drivers').select(['id', 'name']).where('id', '=', incident.driver_id).executeTakeFirst() : undefined,
    db
      .selectFrom('frames')
      .select(['id', 'blob_key', 'captured_at', 'width', 'height', 'analysis_status', 'analysis'])
      .where('fleet_id', '=', incident.fleet_id)
      .where('vehicle_id', '=', incident.vehicle_id)
      .where((eb) => eb.or([eb.and([eb('captured_at', '>=', window.framesFrom), eb('captured_at', '<=', window.framesTo)]), eb('id', 'in', linked)]))
      .orderBy('captured_at')
      .orderBy('id')
      .limit(MAX_PACK_FRAMES)
      .execute(),
    db
      .selectFrom('gps_fixes')
      .select(['device_time', 'latitude', 'longitude', 'speed_kmh', 'heading', 'accuracy_m', 'altitude_m'])
      .where('fleet_id', '=', incident.fleet_id)
      .where('vehicle_id', '=', incident.vehicle_id)
      .where('device_time', '>=', window.trackFrom)
      .where('device_time', '<=', window.trackTo)
      .orderBy('device_time')
      .limit(MAX_PACK_FIXES)
      .execute(),
    db.selectFrom('incident_occurrences').select(['type', 'severity', 'occurred_at']).where('incident_id', '=', incident.id).orderBy('occurred_at').execute(),
  ]);

  const files: PackFile[] = [];
  const frameEntries = [];
  const missing: string[] = [];
  for (const [i, frame] of frames.entries()) {
    const blob = await platform.blobs.get(frame.blob_key);
    if (!blob) {
      missing.push(frame.id);
      continue;
    }
    const path = `frames/${String(i + 1).padStart(3, '0')}_${frame.captured_at.toISOString().replace(/:/g, '-')}.jpg`;
    files.push({ path, bytes: blob.body, contentType: 'image/jpeg' });
    frameEntries.push({ file: path, frame_id: frame.id, captured_at: frame.captured_at.toISOString(), offset_s: (frame.captured_at.getTime() - incident.occurred_at.getTime()) / 1000, width: frame.width, height: frame.height, is_incident_frame: frame.id === incident.frame_id, analysis: summariseAnalysis(frame.analysis_status, frame.analysis) });
  }
  const points = fixes.map((f) => ({ at: f.device_time.toISOString(), latitude: f.latitude, longitude: f.longitude, speed_kmh: f.speed_kmh, heading: f.heading }));
  const line = trackAsGeoJson(points);
  const track = {
    type: 'FeatureCollection',
    features: [
      { ...line, properties: { ...line.properties, speeds_kmh: points.map((p) => p.speed_kmh) } },
      ...(incident.latitude !== null && incident.longitude !== null ? [{ type: 'Feature', geometry: { type: 'Point', coordinates: [incident.longitude, incident.latitude] }, properties: { incident_id: incident.id, occurred_at: incident.occurred_at.toISOString() } }] : []),
    ],
  };
  const csv = ['device_time,latitude,longitude,speed_kmh,heading,accuracy_m,altitude_m', ...fixes.map((f) => [f.device_time.toISOString(), f.latitude, f.longitude, f.speed_kmh, f.heading, f.accuracy_m, f.altitude_m].map((v) => v ?? '').join(','))].join('\r\n');
  files.push(
    { path: 'incident.json', bytes: json({ incident: Object.fromEntries(Object.entries(incident).map(([k, v]) => [k, iso(v)])), vehicle: vehicle ?? null, driver: driver ?? null, frames_missing: missing }), contentType: 'application/json' },
    { path: 'track.geojson', bytes: json(track), contentType: 'application/geo+json' },
    { path: 'telemetry.csv', bytes: new TextEncoder().encode(`${csv}\r\n`), contentType: 'text/csv' },
    {
      path: 'verdicts.json',
      bytes: json({
        review: { status: incident.status, reason: incident.status_reason, reason_code: incident.status_reason_code, changed_at: iso(incident.status_changed_at), changed_by: incident.status_changed_by },
        frames: frameEntries,
        telemetry_detections: detections.map((d) => ({ ...d, occurred_at: d.occurred_at.toISOString() })),
      }),
      contentType: 'application/json',
    },
  );

  const id = platform.ids.next();
  const createdAt = new Date(platform.clock.now());
  const { bytes, manifest } = await assemblePack(
    { pack_id: id, incident_id: incident.id, fleet_id: incident.fleet_id, created_at: createdAt.toISOString(), window: { from: window.framesFrom.toISOString(), to: window.framesTo.toISOString() } },
    files,
    await packSigner(db),
  );
  const blobKey = `evidence-packs/${incident.fleet_id}/${incident.id}/${id}.zip`;
  await platform.blobs.put(blobKey, bytes, { contentType: 'application/zip' });
  const row = await db
    .insertInto('evidence_packs')
    .values({ id, fleet_id: incident.fleet_id, incident_id: incident.id, blob_key: blobKey, size_bytes: bytes.length, sha256: await sha256HexOfBytes(bytes), frames: frameEntries.length, created_by: createdBy, created_at: createdAt })
    .returningAll()
    .executeTakeFirstOrThrow();
  return { row, manifest };
}
