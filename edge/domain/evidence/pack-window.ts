/** An evidence pack spans 30 s either side of an incident; retention keeps at least that much of every incident's frames. */
import type { EvidenceWindowOptions } from './evidence-window.ts';
import { DEFAULT_EVIDENCE_WINDOW } from './evidence-window.ts';

export const EVIDENCE_PACK_SECONDS = 30;

export const EVIDENCE_PACK_WINDOW: EvidenceWindowOptions = {
  frameSecondsBefore: EVIDENCE_PACK_SECONDS,
  frameSecondsAfter: EVIDENCE_PACK_SECONDS,
  trackSecondsBefore: DEFAULT_EVIDENCE_WINDOW.trackSecondsBefore,
  trackSecondsAfter: DEFAULT_EVIDENCE_WINDOW.trackSecondsAfter,
};
