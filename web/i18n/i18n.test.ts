import { describe, expect, it } from 'vitest';
import { langFromAcceptLanguage } from './i18n.ts';
import { i18nFor as createI18n } from './messages.ts';
import { en } from './messages-en.ts';
import { es } from './messages-es.ts';

describe('i18n', () => {
  it('has the same keys in both languages, none left empty', () => {
    expect(Object.keys(es).sort()).toEqual(Object.keys(en).sort());
    for (const text of [...Object.values(es), ...Object.values(en)]) expect(text.trim()).not.toBe('');
  });

  it('picks the browser language by q-value, falling back when none is supported', () => {
    expect(langFromAcceptLanguage('es-ES,es;q=0.9,en;q=0.8')).toBe('es');
    expect(langFromAcceptLanguage('fr-FR,fr;q=0.9,en;q=0.8,es;q=0.7')).toBe('en');
    expect(langFromAcceptLanguage('de;q=1,es;q=0.2,en;q=0.5')).toBe('en');
    expect(langFromAcceptLanguage('en;q=0,es;q=0.1')).toBe('es');
    expect(langFromAcceptLanguage('de, fr', 'es')).toBe('es');
    expect(langFromAcceptLanguage(undefined, 'es')).toBe('es');
  });

  it('writes times in the fleet timezone and numbers in the language', () => {
    const madrid = createI18n('es', 'Europe/Madrid');
    expect(madrid.time('2026-06-01T08:00:00Z')).toBe('10:00:00');
    expect(madrid.unit(1234.5, 'km', 1)).toBe('1234,5 km');
    const utc = createI18n('en', 'UTC');
    expect(utc.time('2026-06-01T08:00:00Z')).toBe('08:00:00');
    expect(utc.unit(1234.5, 'km', 1)).toBe('1,234.5 km');
    expect(utc.dateTime(null)).toBe('—');
  });

  it('fills parameters and translates', () => {
    expect(createI18n('en').t('alerts.unread', { count: 3 })).toBe('3 unread alerts');
    expect(createI18n('es').t('alerts.unread', { count: 3 })).toBe('3 alertas sin leer');
    expect(createI18n('en').duration(3900)).toBe('1 h 5 min');
  });
});
