/** The page's language and fleet timezone, provided around every island on the server and in the browser. */
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { I18n } from '../i18n/i18n.ts';

export const I18nContext = createContext<I18n | null>(null);

export function useI18n(): I18n {
  const i18n = useContext(I18nContext);
  if (!i18n) throw new Error('an island rendered without I18nContext: render it through <Island> (server) or hydrateIslands (client)');
  return i18n;
}
