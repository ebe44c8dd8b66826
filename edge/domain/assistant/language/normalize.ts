/**
 * Questions as the offline parser reads them: lower case, without accents or punctuation (people type "cuantos",
 * "cuántos" and "CUANTOS"), split into words, with number words turned into digits ("siete días" → "7 dias").
 */
const NUMBER_WORDS: Record<string, number> = {
  un: 1, una: 1, uno: 1, one: 1, dos: 2, two: 2, tres: 3, three: 3, cuatro: 4, four: 4, cinco: 5, five: 5, seis: 6, six: 6,
  siete: 7, seven: 7, ocho: 8, eight: 8, nueve: 9, nine: 9, diez: 10, ten: 10, eleven: 11, doce: 12, twelve: 12,
  catorce: 14, fourteen: 14, quince: 15, fifteen: 15, veinte: 20, twenty: 20, treinta: 30, thirty: 30, sesenta: 60, sixty: 60,
  noventa: 90, ninety: 90,
};

/** Lower case, accents removed (ñ kept apart from n), punctuation turned into spaces except inside plates and dates. */
export function normalizeText(text: string): string {
  return text
    .toLowerCase()
    .replace(/ñ/g, '\u0001')
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/\u0001/g, 'ñ')
    .replace(/[¿?¡!,;:()"“”«»]/g, ' ')
    .replace(/[’']/g, "'")
    .replace(/\s+/g, ' ')
    .trim();
}

/** The words of a normalized text; `-`, `/` and `.` stay inside a word ("9048-pdj", "05/11", "2026-11-05"). */
export function wordsOf(normalized: string): string[] {
  return normalized
    .split(' ')
    .map((w) => w.replace(/^[.\-/]+|[.\-/]+$/g, ''))
    .filter((w) => w.length > 0);
}

/** A number written as digits or as a word ("7", "siete", "seven"); undefined otherwise. */
export function numberOf(word: string | undefined): number | undefined {
  if (word === undefined) return undefined;
  if (/^\d{1,4}$/.test(word)) return Number(word);
  return NUMBER_WORDS[word];
}
