/**
 * What the cloud model is asked and the shape it must answer in: the seed's prompt ("Analiza esta imagen de cámara
 * de taxi. Detecta: accidentes, frenado brusco, uso de teléfono, somnolencia, distracciones. Severidad: …") refined
 * into a system prompt that says what the camera sees, what counts as evidence for each type, and when to say no.
 */
import { z } from 'zod';
import type { FrameToAnalyse } from '../../ports/analyser.ts';
import { defaultDetail, type FindingDetail } from '../../domain/vision/severity-policy.ts';
import { EMPTY_SIGNALS, visionVerdictSchema, type FrameSignals, type VisionIncidentType } from '../../domain/vision/vision-verdict.ts';

/**
 * What the model reports having seen, before its verdict (observations first make the verdict more careful), and
 * what the severity policy (domain/vision/severity-policy.ts) decides the severity from: the model names the incident,
 * the policy says how serious it is given whether the taxi moves. Booleans, not measurements: a language model cannot
 * measure an eye ratio, so nothing here pretends to.
 */
export const modelObservationsSchema = z.object({
  driver_visible: z.boolean().nullable(),
  face_visible: z.boolean().nullable(),
  person_count: z.number().int().min(0).nullable(),
  phone_in_hand: z.boolean().nullable(),
  phone_at_ear: z.boolean().nullable(),
  phone_looked_at: z.boolean().nullable(),
  eyes_closed: z.boolean().nullable(),
  yawning: z.boolean().nullable(),
  looking_away: z.boolean().nullable(),
  smoking: z.boolean().nullable(),
  lens_blocked: z.boolean().nullable(),
  collision_visible: z.boolean().nullable(),
});
export type ModelObservations = z.infer<typeof modelObservationsSchema>;

/** The model's answer: what it saw, which incident (if any) and how sure — no severity: the policy decides that. */
export const cloudAnswerSchema = z.object({
  signals: modelObservationsSchema.nullable(),
  incident_detected: visionVerdictSchema.shape.incident_detected,
  type: visionVerdictSchema.shape.type,
  confidence: visionVerdictSchema.shape.confidence,
  description: visionVerdictSchema.shape.description,
});
export type CloudAnswer = z.infer<typeof cloudAnswerSchema>;

/**
 * The schema sent as `response_format`: the same, minus `maxLength`, which OpenAI's strict mode does not accept as
 * a keyword. The prompt asks for a short description; `fitDescription` trims the rare long one before validation.
 */
export const cloudAnswerWireSchema = cloudAnswerSchema.extend({ description: z.string() });

const DESCRIPTION_MAX = visionVerdictSchema.shape.description.maxLength ?? 500;

/** A too-long description is no reason to pay for another attempt: it is cut at the limit. */
export function fitDescription(json: unknown): unknown {
  if (typeof json !== 'object' || json === null || !('description' in json) || typeof json.description !== 'string') return json;
  if (json.description.length <= DESCRIPTION_MAX) return json;
  return { ...json, description: `${json.description.slice(0, DESCRIPTION_MAX - 1)}…` };
}

const EVIDENCE: Record<VisionIncidentType, string> = {
  PHONE_USAGE: 'a phone held in the hand, at the ear, or looked at/typed on by the driver. A phone in a cradle or lying on the seat is not usage.',
  DROWSINESS: 'eyes fully closed or nearly closed with the head drooping or nodding. A blink cannot be told from one frame: with open eyes and an upright head it is not drowsiness.',
  YAWNING: 'mouth wide open in a yawn (not talking or singing).',
  DISTRACTION: 'head or gaze turned clearly away from the road (to a passenger behind, down at the lap, out of a side window) while apparently driving. A glance at a mirror is not distraction.',
  SMOKING: 'a lit cigarette or vape in the hand or mouth, or visible smoke.',
  ACCIDENT: 'deployed airbags, broken glass, a collision visible through the windscreen, occupants thrown about.',
  NO_DRIVER: 'the driver seat is empty while the frame looks like the vehicle is in service.',
  CAMERA_BLOCKED: 'the lens is covered, taped, pointed at the roof or the floor, or the image is almost entirely black or white so the driver cannot be seen.',
  OTHER: 'another clear safety problem (a fight, a weapon, an unbelted driver clearly visible); describe it.',
};

const OBSERVATION_GUIDE = [
  'phone_in_hand: the driver holds a phone. phone_at_ear: held at the ear (a call). phone_looked_at: the driver looks at it or types on it.',
  'eyes_closed: the driver\'s eyes are closed or nearly closed. looking_away: head or gaze turned clearly away from the road.',
  'lens_blocked: the lens is covered or the image is black. collision_visible: signs of a collision (airbags, broken glass, impact).',
].join('\n');

const LANGUAGE_NAME = { es: 'Spanish (español)', en: 'English' } as const;

export function systemPrompt(language: FrameToAnalyse['language']): string {
  const types = Object.entries(EVIDENCE)
    .map(([type, evidence]) => `- ${type}: ${evidence}`)
    .join('\n');
  return [
    'You review single frames from a driver-facing camera mounted inside a taxi (near the windscreen, on a pillar or beside the driver, so the driver may be seen from the front or in profile).',
    'Frames are small, often low-light or infrared (grey), and may show passengers in the back. Judge only what is visible in this frame.',
    '',
    'First fill "signals" with what you see (null for anything you cannot tell; the whole object null if the frame is unusable):',
    OBSERVATION_GUIDE,
    '',
    'Then decide whether the frame shows one of these incidents, with what counts as evidence:',
    types,
    '',
    'Answer incident_detected=false (type null) when nothing above is clearly visible, when you are unsure, or when the frame is unusable (blurred, empty, not a taxi interior) — except that a blocked or black lens is CAMERA_BLOCKED.',
    'When there is an incident, name exactly one type (the most serious). Do not grade its severity: that is decided from your observations and whether the taxi is moving.',
    'confidence is your probability (0 to 1) that the verdict is right.',
    `Write "description" in ${LANGUAGE_NAME[language]}: one or two short sentences (under 300 characters) for the fleet owner, saying what is seen, without guessing identities.`,
  ].join('\n');
}

export function userText(frame: FrameToAnalyse): string {
  const size = frame.width && frame.height ? ` (${frame.width}×${frame.height})` : '';
  const lines = [`Analyse this taxi dashcam frame${size}.`];
  // Context is data, not instructions: fenced so text from elsewhere cannot pose as part of the prompt.
  if (frame.context) lines.push('', 'Context from the vehicle\'s telemetry (why this frame is being checked):', `"""${frame.context.replaceAll('"""', '"')}"""`);
  return lines.join('\n');
}

/** Maps what the model saw into the stored signal shape, only where the meaning carries over. */
export function toFrameSignals(observations: ModelObservations | null): FrameSignals | null {
  if (!observations) return null;
  const phone = [observations.phone_in_hand, observations.phone_at_ear, observations.phone_looked_at];
  const signals: FrameSignals = {
    ...EMPTY_SIGNALS,
    face_found: observations.face_visible ?? observations.driver_visible,
    person_count: observations.person_count,
    // A yes/no from the model is a certainty of 1 or 0 on the same scale as an object detector's score.
    phone_score: phone.every((p) => p === null) ? null : phone.some((p) => p === true) ? 1 : 0,
  };
  return Object.values(signals).every((v) => v === null) ? null : signals;
}

/** What exactly the model saw of the incident it named, for the severity policy. */
export function detailFromObservations(type: VisionIncidentType | null, observations: ModelObservations | null): FindingDetail | null {
  if (type === null) return null;
  const o = observations;
  if (type === 'PHONE_USAGE') return o?.phone_looked_at ? 'phone_looked_at' : o?.phone_at_ear ? 'phone_at_ear' : 'phone_in_hand';
  if (type === 'DROWSINESS') return o?.eyes_closed ? 'eyes_closed' : 'eyes_closing';
  return defaultDetail(type);
}
