/**
 * A timezone picked from the IANA list rather than typed: the list is the server's (`timeZoneChoices`, the same
 * ICU data that validates the value), so the page and the check agree.
 */
import { useI18n } from './use-i18n.ts';

/** Every IANA timezone the runtime knows, UTC first, with `current` kept even if the list lacks it. */
export function timeZoneChoices(current?: string): string[] {
  const known = new Set(typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : []);
  if (current) known.add(current);
  known.delete('UTC');
  return ['UTC', ...[...known].sort()];
}

export function TimezoneSelect({ id, name, value, zones, hint }: { id: string; name: string; value: string; zones: string[]; hint?: boolean }) {
  const { t } = useI18n();
  return (
    <>
      <select id={id} name={name} aria-describedby={hint ? `${id}-hint` : undefined}>
        {zones.map((zone) => (
          <option value={zone} selected={zone === value}>
            {zone.replaceAll('_', ' ')}
          </option>
        ))}
      </select>
      {hint && (
        <p id={`${id}-hint`} class="muted">
          {t('settings.timezoneHint')}
        </p>
      )}
    </>
  );
}
