/**
 * Labels for the codes the API returns (incident types, severities, statuses, sources) in the page's language.
 * A code the catalogue does not know yet (a new incident type from a newer model) still reads as words.
 */
import type { I18n } from './i18n.ts';
import type { MessageKey } from './messages-en.ts';

/** The incident types the server raises today, in the order the type filter lists them. */
export { INCIDENT_TYPES } from '../../edge/domain/incidents/incident-types.ts';

/** Catalogue prefix per kind of code: `itype.PHONE_USAGE`, `severity.HIGH`, `istatus.open`, `source.vision`, `status.moving`, `event.new_alert`. */
export type LabelKind = 'itype' | 'severity' | 'istatus' | 'source' | 'status' | 'event';

/** "HARSH_ACCELERATION" → "Harsh acceleration". */
export function humanise(code: string): string {
  const words = code.replace(/[_-]+/g, ' ').trim().toLowerCase();
  return words ? words[0].toUpperCase() + words.slice(1) : code;
}

export function labelOf(t: I18n['t'], kind: LabelKind, code: string | null | undefined): string {
  if (!code) return '—';
  const key = `${kind}.${code}`;
  const label = t(key as MessageKey);
  // t() answers the key itself for a key the catalogue lacks.
  return label === key ? humanise(code) : label;
}

export const incidentTypeLabel = (t: I18n['t'], type: string | null | undefined) => labelOf(t, 'itype', type);
