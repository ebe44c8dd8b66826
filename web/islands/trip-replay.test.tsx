import { renderToString } from 'preact-render-to-string';
import { describe, expect, it } from 'vitest';
import { i18nFor } from '../i18n/messages.ts';
import TripReplay, { type TripReplayProps } from './trip-replay.tsx';
import { I18nContext } from './use-i18n.ts';

const render = (props: TripReplayProps, lang: 'en' | 'es' = 'en') =>
  renderToString(
    <I18nContext.Provider value={i18nFor(lang, 'Europe/Madrid')}>
      <TripReplay {...props} />
    </I18nContext.Provider>,
  );

const base = { startedAt: '2026-06-01T07:30:00.000Z', tileUrl: null, tileAttribution: null };

describe('trip replay island (server render)', () => {
  it('renders a labelled slider over every fix, starting at the first, in the fleet’s time and language', () => {
    const html = render(
      {
        ...base,
        points: [
          [0, 40.4, -3.7, 0, 0],
          [5, 40.401, -3.7, 36, 0],
          [10, 40.402, -3.7, null, 0],
        ],
        incidents: [{ id: 'inc-1', type: 'HARSH_BRAKING', severity: 'HIGH', at: 5, latitude: null, longitude: null }],
      },
      'es',
    );
    expect(html).toContain('<label for="replay-slider">Posición en el viaje</label>');
    expect(html).toMatch(/<input id="replay-slider" type="range" min="0" max="2" step="1" value="0" aria-valuetext="9:30:00 · 0 km\/h"/);
    expect(html).toContain('href="/incidents/inc-1"');
    expect(html).toContain('Ir a 9:30:05');
    expect(html).toContain('Sin teselas de mapa'); // WEB_MAP_TILE_URL=none: said over the map, not beside it
  });

  it('says so when a trip has no fixes, instead of an empty map', () => {
    const html = render({ ...base, points: [], incidents: [] });
    expect(html).toContain('This trip has no GPS fixes to replay.');
    expect(html).not.toContain('replay-slider');
  });
});
