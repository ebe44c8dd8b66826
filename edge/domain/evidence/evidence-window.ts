/**
 * Which stretch of a taxi's recording is evidence for an incident: frames from a few seconds before it began to a
 * few seconds after it was last seen, and the GPS track over a wider span so the map shows how the taxi got there.
 */
export interface EvidenceWindowOptions {
  frameSecondsBefore: number;
  frameSecondsAfter: number;
  trackSecondsBefore: number;
  trackSecondsAfter: number;
}

export const DEFAULT_EVIDENCE_WINDOW: EvidenceWindowOptions = { frameSecondsBefore: 10, frameSecondsAfter: 10, trackSecondsBefore: 120, trackSecondsAfter: 120 };

export interface EvidenceWindow {
  framesFrom: Date;
  framesTo: Date;
  trackFrom: Date;
  trackTo: Date;
}

/** Both ends inclusive; a merged incident's window runs to its last occurrence, not just its first. */
export function evidenceWindow(incident: { occurred_at: Date; last_seen_at: Date }, options: EvidenceWindowOptions = DEFAULT_EVIDENCE_WINDOW): EvidenceWindow {
  const start = incident.occurred_at.getTime();
  // A clock-skewed device could report last_seen before occurred_at; never let the window turn inside out.
  const end = Math.max(start, incident.last_seen_at.getTime());
  return {
    framesFrom: new Date(start - options.frameSecondsBefore * 1000),
    framesTo: new Date(end + options.frameSecondsAfter * 1000),
    trackFrom: new Date(start - options.trackSecondsBefore * 1000),
    trackTo: new Date(end + options.trackSecondsAfter * 1000),
  };
}
