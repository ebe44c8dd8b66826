/**
 * How serious a vision finding is: one policy for every analyser (offline rules, the fleet's learned model, a cloud
 * model — which reports what it observed, not a severity), and aware of whether the taxi moves. A phone in the hand
 * at a taxi rank is a driver waiting for a fare; the same phone at 50 km/h is an incident.
 *
 * | finding                                   | moving       | parked            |
 * |-------------------------------------------|--------------|-------------------|
 * | phone in hand / at the ear                | MEDIUM       | no incident       |
 * | phone looked at or typed on               | HIGH         | no incident       |
 * | eyes closing (below the driver's normal)  | HIGH         | no incident       |
 * | eyes closed                               | CRITICAL     | no incident       |
 * | looking away (sustained)                  | MEDIUM, HIGH over a full window | no incident |
 * | yawning                                   | LOW, MEDIUM when repeated | no incident |
 * | smoking                                   | MEDIUM       | LOW               |
 * | no driver in view                         | HIGH         | no incident       |
 * | lens covered or black                     | HIGH         | MEDIUM            |
 * | accident (candidate or confirmed)         | CRITICAL     | CRITICAL          |
 * | anything else a model reports             | MEDIUM       | LOW               |
 *
 * Unknown speed (no GPS fix near the frame) is judged as moving: the cautious side for the driver rules — except
 * "no driver", which is LOW then, since an empty parked taxi is the common case.
 */
import type { Severity, VisionIncidentType } from './vision-verdict.ts';

export const FINDING_DETAILS = [
  'phone_in_hand',
  'phone_at_ear',
  'phone_looked_at',
  'eyes_closing',
  'eyes_closed',
  'looking_away',
  'yawn',
  'smoking',
  'no_driver',
  'lens_blocked',
  'collision',
  'other',
] as const;
export type FindingDetail = (typeof FINDING_DETAILS)[number];

export interface Finding {
  type: VisionIncidentType;
  detail: FindingDetail;
  /** The pattern held in every frame of a full window (sustained), or repeated. */
  sustained?: boolean;
}

export interface Motion {
  /** The taxi's speed when the frame was taken (nearest GPS fix), null when unknown. */
  speedKmh: number | null;
}

/** Below this speed a taxi is standing (at a rank, at a light long enough to look at a phone is another matter). */
export const PARKED_BELOW_KMH = 5;

export type MotionState = 'moving' | 'parked' | 'unknown';

export function motionState(motion: Motion): MotionState {
  if (motion.speedKmh === null) return 'unknown';
  return motion.speedKmh < PARKED_BELOW_KMH ? 'parked' : 'moving';
}

/** The severity of a finding, or null when it is no incident in this situation. */
export function severityOf(finding: Finding, motion: Motion): Severity | null {
  const state = motionState(motion);
  const parked = state === 'parked';
  switch (finding.detail) {
    case 'collision':
      return 'CRITICAL';
    case 'lens_blocked':
      return parked ? 'MEDIUM' : 'HIGH';
    case 'no_driver':
      return parked ? null : state === 'unknown' ? 'LOW' : 'HIGH';
    case 'smoking':
      return parked ? 'LOW' : 'MEDIUM';
    case 'other':
      return parked ? 'LOW' : 'MEDIUM';
    default:
      break;
  }
  // Everything below is the driver's own behaviour: none of it is an incident while the taxi stands.
  if (parked) return null;
  switch (finding.detail) {
    case 'phone_in_hand':
    case 'phone_at_ear':
      return 'MEDIUM';
    case 'phone_looked_at':
      return 'HIGH';
    case 'eyes_closing':
      return 'HIGH';
    case 'eyes_closed':
      return 'CRITICAL';
    case 'looking_away':
      return finding.sustained ? 'HIGH' : 'MEDIUM';
    case 'yawn':
      return finding.sustained ? 'MEDIUM' : 'LOW';
  }
}

/** The detail a finding of this type has when nothing more specific is known (a model that named only the type). */
export function defaultDetail(type: VisionIncidentType): FindingDetail {
  const details: Partial<Record<VisionIncidentType, FindingDetail>> = {
    PHONE_USAGE: 'phone_in_hand',
    DROWSINESS: 'eyes_closing',
    DISTRACTION: 'looking_away',
    YAWNING: 'yawn',
    SMOKING: 'smoking',
    NO_DRIVER: 'no_driver',
    CAMERA_BLOCKED: 'lens_blocked',
    ACCIDENT: 'collision',
  };
  return details[type] ?? 'other';
}
