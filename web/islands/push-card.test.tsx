/** The "Get alerts on this phone" card renders nothing on the server: only the browser knows whether to show it. */
import { renderToString } from 'preact-render-to-string';
import { describe, expect, it } from 'vitest';
import { i18nFor } from '../i18n/messages.ts';
import PushCard, { PUSH_STATE_TEXT } from './push-card.tsx';
import { I18nContext } from './use-i18n.ts';

describe('push card', () => {
  it('renders nothing on the server, so hydration matches and no prompt can come from page load', () => {
    const html = renderToString(
      <I18nContext.Provider value={i18nFor('en')}>
        <PushCard />
      </I18nContext.Provider>,
    );
    expect(html).toBe('');
  });

  it('explains each state that needs words, in both languages', () => {
    const en = i18nFor('en').t;
    const es = i18nFor('es').t;
    expect(en(PUSH_STATE_TEXT.install!)).toMatch(/^Add TaxiWatch to your home screen to get alerts/);
    expect(es(PUSH_STATE_TEXT.install!)).toMatch(/^Añade TaxiWatch a tu pantalla de inicio/);
    expect(en(PUSH_STATE_TEXT.denied!)).toContain('allow TaxiWatch, then reload');
    expect(es('push.title')).toBe('Recibe alertas en este teléfono');
    expect(en('push.title')).toBe('Get alerts on this phone');
    expect(PUSH_STATE_TEXT.subscribed).toBeNull();
  });
});
