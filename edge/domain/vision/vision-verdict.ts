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

export { EMPTY_SIGNALS, frameSignalsSchema, type FrameSignals } from './frame-signals.ts';

export const visionVerdictSchema = z.object({
  incident_detected: z.boolean(),
  type: z.enum(VISION_INCIDENT_TYPES).nullable(),
  severity: z.enum(SEVERITIES).nullable(),
  confidence: z.number().min(0).max(1),
  description: z.string().max(500),
});
export type VisionVerdict = z.infer<typeof visionVerdictSchema>;



/** A verdict that names an incident must say which and how bad; one that names none carries no type. */
export function isIncident(v: VisionVerdict): v is VisionVerdict & { type: VisionIncidentType; severity: Severity } {
  return v.incident_detected && v.type !== null && v.severity !== null;
}
