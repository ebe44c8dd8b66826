/**
 * What a vision analysis concludes about one frame — the seed's result shape, validated, never trusted as free text.
 * Cloud models answer in this shape through structured outputs (`.nullable()` rather than `.optional()`, as
 * OpenAI's strict schemas require every field).
 */
import { z } from 'zod';
import { VISION_INCIDENT_TYPES } from '../incidents/incident-types.ts';

export { VISION_INCIDENT_TYPES };
export type VisionIncidentType = (typeof VISION_INCIDENT_TYPES)[number];

export const SEVERITIES = ['LOW', 'MEDIUM', 'HIGH', 'CRITICAL'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** Raw measurements a verdict was based on; every field nullable because not every model measures everything. */
export const frameSignalsSchema = z.object({
  face_found: z.boolean().nullable(),
  face_score: z.number().min(0).max(1).nullable(),
  /** Eye opening as a ratio of eye height to eye width, mean of both eyes (≈0.25–0.35 open, < 0.15 closed). */
  eye_openness: z.number().min(0).max(2).nullable(),
  /** Mouth opening relative to mouth width (> ~0.5 is a yawn). */
  mouth_openness: z.number().min(0).max(5).nullable(),
  /** Head yaw and pitch in degrees, 0 = facing the camera. */
  head_yaw_deg: z.number().min(-180).max(180).nullable(),
  head_pitch_deg: z.number().min(-180).max(180).nullable(),
  /** Best score of a detected mobile phone (0–1), or null if no object model ran. */
  phone_score: z.number().min(0).max(1).nullable(),
  person_count: z.number().int().min(0).nullable(),
  /** Mean luminance 0–255 (a covered or black lens is near 0). */
  brightness: z.number().min(0).max(255).nullable(),
});
export type FrameSignals = z.infer<typeof frameSignalsSchema>;

export const visionVerdictSchema = z.object({
  incident_detected: z.boolean(),
  type: z.enum(VISION_INCIDENT_TYPES).nullable(),
  severity: z.enum(SEVERITIES).nullable(),
  confidence: z.number().min(0).max(1),
  description: z.string().max(500),
});
export type VisionVerdict = z.infer<typeof visionVerdictSchema>;

export const EMPTY_SIGNALS: FrameSignals = {
  face_found: null,
  face_score: null,
  eye_openness: null,
  mouth_openness: null,
  head_yaw_deg: null,
  head_pitch_deg: null,
  phone_score: null,
  person_count: null,
  brightness: null,
};

/** A verdict that names an incident must say which and how bad; one that names none carries no type. */
export function isIncident(v: VisionVerdict): v is VisionVerdict & { type: VisionIncidentType; severity: Severity } {
  return v.incident_detected && v.type !== null && v.severity !== null;
}
