/** Words, numbers and dates in the asker's language, for answers written from templates. */
export type Lang = 'es' | 'en';

export const isLang = (value: unknown): value is Lang => value === 'es' || value === 'en';

/** 1234.5 → "1.234,5" (es) / "1,234.5" (en). */
export function formatNumber(value: number, lang: Lang, decimals = 0): string {
  return new Intl.NumberFormat(lang === 'es' ? 'es-ES' : 'en-GB', { minimumFractionDigits: decimals, maximumFractionDigits: decimals, useGrouping: true }).format(value);
}

/** US dollars with cents, or more digits when under a cent. */
export function formatUsd(value: number, lang: Lang): string {
  const decimals = value !== 0 && Math.abs(value) < 0.01 ? 4 : 2;
  const amount = formatNumber(value, lang, decimals);
  return lang === 'es' ? `${amount} US$` : `US$${amount}`;
}

/** "a, b y c" / "a, b and c" (or "a, b o c" / "a, b or c"). */
export function joinWords(items: string[], lang: Lang, conjunction: 'and' | 'or' = 'and'): string {
  if (items.length <= 1) return items[0] ?? '';
  const word = conjunction === 'and' ? (lang === 'es' ? 'y' : 'and') : lang === 'es' ? 'o' : 'or';
  return `${items.slice(0, -1).join(', ')} ${word} ${items.at(-1)}`;
}

/** "1 incidente" / "3 incidentes". */
export function counted(n: number, one: string, many: string, lang: Lang): string {
  return `${formatNumber(n, lang)} ${n === 1 ? one : many}`;
}

const MONTHS: Record<Lang, string[]> = {
  es: ['enero', 'febrero', 'marzo', 'abril', 'mayo', 'junio', 'julio', 'agosto', 'septiembre', 'octubre', 'noviembre', 'diciembre'],
  en: ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'],
};
const WEEKDAYS: Record<Lang, string[]> = {
  es: ['domingo', 'lunes', 'martes', 'miércoles', 'jueves', 'viernes', 'sábado'],
  en: ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'],
};

const parts = (day: string) => {
  const d = new Date(`${day}T00:00:00Z`);
  return { y: d.getUTCFullYear(), m: d.getUTCMonth(), d: d.getUTCDate(), w: d.getUTCDay() };
};

/** "19 de noviembre" / "19 November"; with the weekday: "jueves 19 de noviembre" / "Thursday 19 November". */
export function formatDay(day: string, lang: Lang, options: { weekday?: boolean; year?: boolean } = {}): string {
  const p = parts(day);
  const base = lang === 'es' ? `${p.d} de ${MONTHS.es[p.m]}${options.year ? ` de ${p.y}` : ''}` : `${p.d} ${MONTHS.en[p.m]}${options.year ? ` ${p.y}` : ''}`;
  return options.weekday ? `${WEEKDAYS[lang][p.w]} ${base}` : base;
}

/** "del 1 al 15 de noviembre" / "1–15 November", across months and years as needed. */
export function formatDayRange(from: string, to: string, lang: Lang): string {
  const a = parts(from);
  const b = parts(to);
  const year = a.y !== b.y;
  if (lang === 'es') {
    if (a.m === b.m && !year) return `del ${a.d} al ${b.d} de ${MONTHS.es[a.m]}`;
    return `del ${formatDay(from, lang, { year })} al ${formatDay(to, lang, { year })}`;
  }
  if (a.m === b.m && !year) return `${a.d}–${b.d} ${MONTHS.en[a.m]}`;
  return `${formatDay(from, lang, { year })} – ${formatDay(to, lang, { year })}`;
}

export const MONTH_NAMES = MONTHS;

/** An instant as the fleet reads it: "19 nov, 14:05" / "19 Nov, 14:05". */
export function formatInstant(iso: string, lang: Lang, timeZone: string): string {
  return new Intl.DateTimeFormat(lang === 'es' ? 'es-ES' : 'en-GB', { timeZone, day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date(iso));
}
