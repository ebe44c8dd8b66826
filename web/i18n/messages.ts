/** Server side: every language's texts (islands receive only their page's language through the page). */
import { createI18n, type I18n, type Lang, type Messages } from './i18n.ts';
import { en } from './messages-en.ts';
import { es } from './messages-es.ts';

const MESSAGES: Record<Lang, Messages> = { en, es };

export const messagesFor = (lang: Lang): Messages => MESSAGES[lang];
export const i18nFor = (lang: Lang, timeZone = 'UTC'): I18n => createI18n(lang, timeZone, MESSAGES[lang]);
