/**
 * Text the server wrote once, in the fleet's language (incident descriptions, alert messages): marked with its
 * language, and when the reader reads another one, labelled as the fleet's text so it does not look untranslated.
 */
import type { ComponentChildren } from 'preact';
import { isLang } from '../i18n/i18n.ts';
import { useI18n } from './use-i18n.ts';

export function FleetText({ fleetLocale, children }: { fleetLocale: string | null; children: ComponentChildren }) {
  const { t, lang } = useI18n();
  const other = isLang(fleetLocale) && fleetLocale !== lang;
  return (
    <>
      <span lang={fleetLocale ?? undefined}>{children}</span>
      {other && <small class="fleet-language"> ({t('text.fleetLanguage', { language: t(`lang.name.${fleetLocale}`) })})</small>}
    </>
  );
}
