/**
 * A model's verdict (it names an incident type, or none) graded by the severity policy: the severity follows from
 * what it saw and whether the taxi moves, whichever model it was — and a finding that is no incident in the
 * situation (a phone at a taxi rank) becomes "no incident", saying why.
 */
import { defaultDetail, severityOf, type FindingDetail, type Motion } from './severity-policy.ts';
import type { VisionIncidentType, VisionVerdict } from './vision-verdict.ts';

export interface NamedIncident {
  incident_detected: boolean;
  type: VisionIncidentType | null;
  confidence: number;
  description: string;
}

export function policyVerdict(answer: NamedIncident, detail: FindingDetail | null, motion: Motion): VisionVerdict {
  if (!answer.incident_detected) return { ...answer, incident_detected: false, type: null, severity: null };
  // An incident without a type is still an alarm: graded as "something else".
  const type = answer.type ?? 'OTHER';
  const severity = severityOf({ type, detail: detail ?? defaultDetail(type) }, motion);
  if (severity === null) return { incident_detected: false, type: null, severity: null, confidence: answer.confidence, description: answer.description };
  return { incident_detected: true, type, severity, confidence: answer.confidence, description: answer.description };
}
