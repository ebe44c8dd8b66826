/** Normalizing questions and telling Spanish from English. */
import { describe, expect, it } from 'vitest';
import { detectLang } from './detect-lang.ts';
import { editDistance } from './fuzzy.ts';
import { normalizeText, numberOf, wordsOf } from './normalize.ts';

const lang = (text: string) => detectLang(wordsOf(normalizeText(text)), text);

describe('question language', () => {
  it('normalizes case, accents and punctuation but keeps ñ, plates and dates whole', () => {
    expect(normalizeText('¿CUÁNTOS incidentes hubo en el año?')).toBe('cuantos incidentes hubo en el año');
    expect(wordsOf(normalizeText('incidentes del 9048-PDJ el 05/11/2026.'))).toEqual(['incidentes', 'del', '9048-pdj', 'el', '05/11/2026']);
    expect([numberOf('siete'), numberOf('thirty'), numberOf('14'), numberOf('taxi')]).toEqual([7, 30, 14, undefined]);
  });

  it('tells the language from common words, then word endings, and admits when it cannot', () => {
    expect(lang('cuantos incidentes hubo ayer')).toBe('es');
    expect(lang('¿Dónde está?')).toBe('es');
    expect(lang('how many incidents yesterday')).toBe('en');
    expect(lang('locate taxi 6152-NHV')).toBe('en');
    expect(lang('4821 KTX')).toBeUndefined();
  });

  it('counts swapped neighbours as one typo', () => {
    expect(editDistance('4812KTX', '4821KTX')).toBe(1);
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('abcdef', 'uvwxyz', 1)).toBe(2);
  });
});
