/** The alert list's server render: translated severities, and a live alert's type in the page's language. */
import { renderToString } from 'preact-render-to-string';
import { describe, expect, it } from 'vitest';
import { i18nFor } from '../i18n/messages.ts';
import AlertList, { type AlertListProps } from './alert-list.tsx';
import { I18nContext } from './use-i18n.ts';

const render = (props: AlertListProps, lang: 'en' | 'es') =>
  renderToString(
    <I18nContext.Provider value={i18nFor(lang, 'Europe/Madrid')}>
      <AlertList {...props} />
    </I18nContext.Provider>,
  );

const stored = { alert_id: 'a1', incident_id: 'i1', vehicle_id: 'v1', severity: 'CRITICAL', message: 'Frenada brusca — 1234ABC: Frenó de 54 a 21 km/h', occurred_at: '2026-06-01T08:00:00Z' };
const withType = { alert_id: 'a2', incident_id: 'i2', vehicle_id: 'v1', severity: 'LOW', type: 'SPEEDING', description: '62 km/h con un límite de flota de 50 km/h durante 40 s', occurred_at: '2026-06-01T08:01:00Z' };

describe('alert list (server render)', () => {
  const props = { alerts: [withType, stored], plates: { v1: '1234ABC' }, canAcknowledge: true, live: true, fleetLocale: 'es' };

  it('labels severities and alert types in the page’s language, keeping the fleet’s descriptions, labelled as the fleet’s', () => {
    const en = render(props, 'en');
    expect(en).toContain('>Critical</span>');
    expect(en).toContain('<strong class="alert-type">Speeding</strong>: <span lang="es">62 km/h con un límite de flota de 50 km/h durante 40 s</span>');
    expect(en).toContain('<span lang="es">Frenada brusca — 1234ABC: Frenó de 54 a 21 km/h</span>');
    expect(en.match(/Written in Spanish, the fleet’s language/g)).toHaveLength(2);
    const es = render(props, 'es');
    expect(es).toContain('>Crítica</span>');
    expect(es).toContain('<strong class="alert-type">Exceso de velocidad</strong>');
    expect(es).not.toContain('SPEEDING');
    expect(es).not.toContain('el idioma de la flota'); // the reader reads the fleet's language: nothing to explain
  });
});
