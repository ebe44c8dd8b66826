/**
 * An ACCIDENT candidate from telemetry (domain/telemetry/rules/collision.ts) gets its evidence and, when a model that
 * looks at images is configured, a confirmation: the vehicle's frames from ACCIDENT_WINDOW_MS either side are linked
 * to the incident; up to CONFIRM_FRAMES of them (road-facing first, nearest the event first) are shown to the cloud
 * model with the telemetry as context. The incident stays CRITICAL either way — a rear-end impact need not be
 * visible — but its description and `confirmation` say what the model saw. Offline it stays a candidate with its
 * evidence. Idempotent: a checked candidate is not checked again.
 */
import type { Platform } from '../../platform.ts';
import { AnalyserInputError } from '../../ports/analyser.ts';
import { dispatchWebhookEvent } from '../webhooks/dispatch.ts';
import { seesRoad } from '../devices/camera-role.ts';
import type { CameraRole } from '../devices/camera-role.ts';

export const CONFIRM_ACCIDENT_JOB = 'confirm-accident';
/** Frames this close to the event (either side) are its evidence. */
export const ACCIDENT_WINDOW_MS = 10_000;
/** The frames after the event need time to arrive: the check runs this long after the candidate. */
export const CONFIRM_DELAY_MS = 20_000;
const CONFIRM_FRAMES = 3;

export interface Confirmation {
  status: 'confirmed' | 'not_seen' | 'no_frames' | 'offline';
  frames: number;
  asked: number;
  model: string | null;
  checked_at: string;
}

export function enqueueAccidentCheck(platform: Platform, incidentId: string) {
  return platform.queue.enqueue(CONFIRM_ACCIDENT_JOB, { incidentId }, { dedupeId: `${CONFIRM_ACCIDENT_JOB}:${incidentId}`, delayMs: CONFIRM_DELAY_MS });
}

export async function confirmAccident(platform: Platform, incidentId: string): Promise<Confirmation | null> {
  const db = platform.db.kysely;
  const incident = await db
    .selectFrom('incidents as i')
    .innerJoin('fleets as f', 'f.id', 'i.fleet_id')
    .select(['i.id', 'i.fleet_id', 'i.vehicle_id', 'i.type', 'i.status', 'i.occurred_at', 'i.description', 'i.confidence', 'i.confirmation', 'f.locale'])
    .where('i.id', '=', incidentId)
    .executeTakeFirst();
  if (!incident || incident.type !== 'ACCIDENT' || incident.confirmation !== null) return null;
  const at = incident.occurred_at.getTime();
  const frames = await db
    .selectFrom('frames as fr')
    .leftJoin('devices as d', 'd.id', 'fr.device_id')
    .select(['fr.id', 'fr.blob_key', 'fr.captured_at', 'fr.width', 'fr.height', 'd.camera_role'])
    .where('fr.vehicle_id', '=', incident.vehicle_id)
    .where('fr.captured_at', '>=', new Date(at - ACCIDENT_WINDOW_MS))
    .where('fr.captured_at', '<=', new Date(at + ACCIDENT_WINDOW_MS))
    .orderBy('fr.captured_at')
    .execute();
  const now = new Date(platform.clock.now());
  if (frames.length) {
    await db
      .insertInto('incident_frames')
      .values(frames.map((f) => ({ incident_id: incident.id, frame_id: f.id, fleet_id: incident.fleet_id, added_at: now })))
      .onConflict((oc) => oc.columns(['incident_id', 'frame_id']).doNothing())
      .execute();
  }

  const analyser = platform.analyser;
  const asked = analyser?.verdicts ? pickFrames(frames, at) : [];
  let confirmed = false;
  let confidence = incident.confidence ?? 0;
  let answered = 0;
  let model: string | null = null;
  const context = `Telemetry detected a possible collision (${incident.description}) ${'{s}'} this frame. Look for a collision: another vehicle or obstacle struck, deployed airbags, broken glass, occupants thrown about.`;
  for (const frame of asked) {
    const blob = await platform.blobs.get(frame.blob_key);
    if (!blob) continue;
    const offset = Math.round((at - frame.captured_at.getTime()) / 1000);
    let output;
    try {
      output = await analyser!.analyse({ jpeg: blob.body, width: frame.width, height: frame.height, language: incident.locale, context: context.replace('{s}', offset >= 0 ? `${offset} s after` : `${-offset} s before`) });
    } catch (error) {
      // An unusable frame is no evidence either way; anything else (the cloud down) fails the job, which retries.
      if (error instanceof AnalyserInputError) continue;
      throw error;
    }
    if (!output.verdict) continue;
    answered++;
    model = output.model;
    if (output.verdict.incident_detected && output.verdict.type === 'ACCIDENT') {
      confirmed = true;
      confidence = Math.max(confidence, output.verdict.confidence);
    }
  }
  const status: Confirmation['status'] = !analyser?.verdicts ? 'offline' : frames.length === 0 ? 'no_frames' : confirmed ? 'confirmed' : 'not_seen';
  const confirmation: Confirmation = { status, frames: frames.length, asked: answered, model, checked_at: now.toISOString() };
  const note = NOTES[incident.locale][status].replace('{n}', String(answered));
  const description = `${incident.description} ${note}`.slice(0, 1000);
  const updated = await db
    .updateTable('incidents')
    .set({ confirmation: JSON.stringify(confirmation), description, confidence: confirmed ? confidence : incident.confidence })
    .where('id', '=', incident.id)
    .where('confirmation', 'is', null)
    .executeTakeFirst();
  if (Number(updated.numUpdatedRows) === 1 && (status === 'confirmed' || status === 'not_seen')) {
    const change = { incident_id: incident.id, vehicle_id: incident.vehicle_id, change: 'accident_check' as const, confirmation, description };
    await platform.bus.publish(incident.fleet_id, 'incident_updated', change);
    await dispatchWebhookEvent(platform, incident.fleet_id, 'incident_updated', change);
  }
  return confirmation;
}

/** Road-facing frames first (they show what was hit), then the rest; nearest to the event first. */
function pickFrames<T extends { captured_at: Date; camera_role: CameraRole | null }>(frames: T[], at: number): T[] {
  const score = (f: T) => (seesRoad(f.camera_role ?? 'cabin') ? 0 : 1e9) + Math.abs(f.captured_at.getTime() - at);
  return [...frames].sort((a, b) => score(a) - score(b)).slice(0, CONFIRM_FRAMES);
}

const NOTES: Record<'es' | 'en', Record<Confirmation['status'], string>> = {
  en: {
    confirmed: 'Confirmed by the cloud model from the frames around it.',
    not_seen: 'The cloud model saw no collision in {n} frame(s) around it; it stays a candidate.',
    no_frames: 'No camera frames from ±10 s; it stays a candidate.',
    offline: 'No cloud model is configured: it stays a candidate, with the frames from ±10 s as evidence.',
  },
  es: {
    confirmed: 'Confirmado por el modelo en la nube con los fotogramas de alrededor.',
    not_seen: 'El modelo en la nube no vio ninguna colisión en {n} fotograma(s) de alrededor; sigue siendo candidato.',
    no_frames: 'No hay fotogramas de ±10 s; sigue siendo candidato.',
    offline: 'No hay modelo en la nube configurado: sigue siendo candidato, con los fotogramas de ±10 s como prueba.',
  },
};
