/**
 * Languages (es, en) and the fleet's way of writing dates and numbers. The same object renders on the server and
 * in islands: the page carries {lang, timeZone, messages} and islands rebuild it from that, so the browser only
 * downloads the texts of its own language (web/i18n/messages.ts is server-only).
 */
import type { MessageKey } from './messages-en.ts';

export type Messages = Record<MessageKey, string>;

export type Lang = 'es' | 'en';
export const LANGS: readonly Lang[] = ['es', 'en'];
export const LANG_COOKIE = 'tw_lang';

export interface I18n {
  lang: Lang;
  timeZone: string;
  t(key: MessageKey, params?: Record<string, string | number>): string;
  dateTime(iso: string | null | undefined): string;
  time(iso: string | null | undefined): string;
  number(value: number | null | undefined, digits?: number): string;
  /** "8.4 km", "42 km/h": units stay international, digits follow the language. */
  unit(value: number | null | undefined, unit: string, digits?: number): string;
  duration(seconds: number | null | undefined): string;
}

export function isLang(value: unknown): value is Lang {
  return value === 'es' || value === 'en';
}

/** The first supported language in an Accept-Language header ("es-ES,es;q=0.9,en;q=0.8"), by q-value. */
export function langFromAcceptLanguage(header: string | undefined, fallback: Lang = 'en'): Lang {
  if (!header) return fallback;
  const ranked = header
    .split(',')
    .map((part, index) => {
      const [tag, ...params] = part.trim().split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      return { base: tag.trim().toLowerCase().split('-')[0], q: q ? Number(q.slice(2)) || 0 : 1, index };
    })
    .filter((entry) => entry.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index);
  return ranked.find((entry) => isLang(entry.base))?.base as Lang | undefined ?? fallback;
}

export function createI18n(lang: Lang, timeZone: string, messages: Messages): I18n {
  // Spanish readers expect 24-hour times and comma decimals; en-GB keeps 24-hour times for English.
  const locale = lang === 'es' ? 'es-ES' : 'en-GB';
  const dateTimeFormat = new Intl.DateTimeFormat(locale, { timeZone, dateStyle: 'short', timeStyle: 'medium' });
  const timeFormat = new Intl.DateTimeFormat(locale, { timeZone, timeStyle: 'medium' });
  const formatDate = (format: Intl.DateTimeFormat, iso: string | null | undefined) => {
    if (!iso) return '—';
    const at = new Date(iso);
    return Number.isNaN(at.getTime()) ? '—' : format.format(at);
  };
  const number = (value: number | null | undefined, digits = 0) =>
    value === null || value === undefined || !Number.isFinite(value) ? '—' : new Intl.NumberFormat(locale, { maximumFractionDigits: digits }).format(value);
  return {
    lang,
    timeZone,
    t: (key, params) => (messages[key] ?? key).replace(/\{(\w+)\}/g, (_, name: string) => String(params?.[name] ?? `{${name}}`)),
    dateTime: (iso) => formatDate(dateTimeFormat, iso),
    time: (iso) => formatDate(timeFormat, iso),
    number,
    unit: (value, unit, digits = 0) => (value === null || value === undefined ? '—' : `${number(value, digits)} ${unit}`),
    duration: (seconds) => {
      if (seconds === null || seconds === undefined) return '—';
      const minutes = Math.round(seconds / 60);
      return minutes < 60 ? `${minutes} min` : `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
    },
  };
}
