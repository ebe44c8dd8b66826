import { describe, expect, it } from 'vitest';
import { i18nFor } from './messages.ts';
import { incidentLabel } from '../../edge/domain/incidents/incident-labels.ts';
import { INCIDENT_TYPES, incidentTypeLabel, labelOf } from './labels.ts';

describe('labels', () => {
  const en = i18nFor('en');
  const es = i18nFor('es');

  it('translate every incident type the server raises, in both languages', () => {
    for (const type of INCIDENT_TYPES) {
      // Straight from the catalogue: t() answers the key itself when a key is missing.
      expect(en.t(`itype.${type}` as never)).not.toBe(`itype.${type}`);
      expect(es.t(`itype.${type}` as never)).not.toBe(`itype.${type}`);
      expect(incidentTypeLabel(es.t, type)).not.toMatch(/^itype\.|_/);
      expect(incidentTypeLabel(es.t, type)).not.toBe(incidentTypeLabel(en.t, type));
    }
    expect(incidentTypeLabel(en.t, 'HARSH_ACCELERATION')).toBe('Harsh acceleration');
    expect(incidentTypeLabel(es.t, 'HARSH_ACCELERATION')).toBe('Aceleración brusca');
    expect(incidentTypeLabel(es.t, 'PHONE_USAGE')).toBe('Uso del móvil');
  });

  it('name each type as the server’s alert messages do, so an alert and its incident agree', () => {
    for (const type of INCIDENT_TYPES) {
      expect(incidentTypeLabel(en.t, type)).toBe(incidentLabel(type, 'en'));
      expect(incidentTypeLabel(es.t, type)).toBe(incidentLabel(type, 'es'));
    }
  });

  it('fall back to a humanised form for codes the catalogue does not know', () => {
    expect(incidentTypeLabel(es.t, 'LANE_DEPARTURE')).toBe('Lane departure');
    expect(labelOf(en.t, 'istatus', 'escalated')).toBe('Escalated');
    expect(labelOf(en.t, 'severity', null)).toBe('—');
  });

  it('label severities, statuses and sources from the catalogue', () => {
    expect(labelOf(es.t, 'severity', 'CRITICAL')).toBe('Crítica');
    expect(labelOf(es.t, 'istatus', 'false_positive')).toBe('falso positivo');
    expect(labelOf(en.t, 'source', 'vision')).toBe('camera (AI)');
    expect(labelOf(es.t, 'status', 'moving')).toBe('en marcha');
  });
});
