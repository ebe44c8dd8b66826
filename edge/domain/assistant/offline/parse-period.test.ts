/** Periods as people write them, read into the tools' grammar (today is Friday 2026-11-20). */
import { describe, expect, it } from 'vitest';
import { normalizeText, wordsOf } from '../language/normalize.ts';
import { parsePeriod } from './parse-period.ts';

const read = (text: string, lang: 'es' | 'en' = 'es', today = '2026-11-20') => {
  const t = normalizeText(text);
  return parsePeriod(t, wordsOf(t), lang, today);
};

describe('parsePeriod', () => {
  it.each([
    ['¿cuántos hubo hoy?', 'es', 'today'],
    ['ayer', 'es', 'yesterday'],
    ['anteayer', 'es', '2026-11-18'],
    ['the day before yesterday', 'en', '2026-11-18'],
    ['esta semana', 'es', 'this_week'],
    ['la semana pasada', 'es', 'last_week'],
    ['last week', 'en', 'last_week'],
    ['in the last week', 'en', 'last_7_days'],
    ['este mes', 'es', 'this_month'],
    ['en lo que va de mes', 'es', 'this_month'],
    ['el mes pasado', 'es', 'last_month'],
    ['los últimos 7 días', 'es', 'last_7_days'],
    ['ultimos treinta dias', 'es', 'last_30_days'],
    ['past 2 weeks', 'en', 'last_14_days'],
    ['últimas 24 horas', 'es', 'last_24_hours'],
    ['del 1 al 15 de noviembre', 'es', '2026-11-01..2026-11-15'],
    ['entre el 2 y el 6 de noviembre', 'es', '2026-11-02..2026-11-06'],
    ['from November 1 to November 15', 'en', '2026-11-01..2026-11-15'],
    ['between Nov 10 and Nov 12', 'en', '2026-11-10..2026-11-12'],
    ['Nov 10-12', 'en', '2026-11-10..2026-11-12'],
    ['between the 2nd and the 6th of November', 'en', '2026-11-02..2026-11-06'],
    ['el 3 de noviembre', 'es', '2026-11-03'],
    ['on 3 November', 'en', '2026-11-03'],
    ['desde el 10 de noviembre', 'es', '2026-11-10..2026-11-20'],
    ['from November 10 onwards', 'en', '2026-11-10..2026-11-20'],
    ['en octubre', 'es', '2026-10-01..2026-10-31'],
    ['in December', 'en', '2025-12-01..2025-12-31'],
    ['el lunes', 'es', '2026-11-16'],
    ['desde el lunes', 'es', '2026-11-16..2026-11-20'],
    ['last Friday', 'en', '2026-11-13'],
    ['el viernes pasado', 'es', '2026-11-13'],
    ['05/11/2026', 'es', '2026-11-05'],
    ['2026-11-05', 'es', '2026-11-05'],
  ] as const)('%s (%s) → %s', (text, lang, spec) => expect(read(text, lang)).toBe(spec));

  it('reads numeric dates day-first in Spanish and month-first in English unless the first number cannot be a month', () => {
    expect(read('11/05/2026', 'es')).toBe('2026-05-11');
    expect(read('11/05/2026', 'en')).toBe('2026-11-05');
    expect(read('25/10/2026', 'en')).toBe('2026-10-25');
  });

  it('puts a date without a year in the past: in January, "28 de diciembre" is last year', () => {
    expect(read('28 de diciembre', 'es', '2027-01-10')).toBe('2026-12-28');
    expect(read('del 28 de diciembre al 3 de enero', 'es', '2027-01-10')).toBe('2026-12-28..2027-01-03');
  });

  it('names no period where there is none, nor in plates, numbers or the next days', () => {
    for (const text of ['¿dónde está el 4821 KTX?', 'incidents per 100 km', 'licencias que caducan en los próximos 30 días', '17 por 23', 'how many taxis']) expect(read(text), text).toBeUndefined();
  });
});
