/**
 * The owner's fleet settings (PATCH /api/v1/fleets/{id}): name, timezone, language, speed limit and the telemetry
 * rules' thresholds. The thresholds shown are those in force; saving sends them all, so what the owner saw is what
 * applies (to fixes from now on). The server validates; its message is shown as is.
 */
import { api } from '../client/api.ts';
import type { MessageKey } from '../i18n/messages-en.ts';
import { ActionNote } from './action-note.tsx';
import { useAction } from './use-action.ts';
import { TimezoneSelect } from './timezone-select.tsx';
import { useI18n } from './use-i18n.ts';

export interface FleetSettingsProps {
  fleet: { id: string; name: string; timezone: string; locale: string; speed_limit_kmh: number; telemetry: Record<string, number>; retention?: Record<string, number>; drivers_see_own_score?: boolean };
  /** The IANA timezones to pick from (timeZoneChoices on the server). */
  zones: string[];
}

/** How long each kind of data is kept, in days (the 02:00 retention jobs read these). */
export const RETENTION: Array<{ key: string; label: MessageKey }> = [
  { key: 'frames_days', label: 'settings.retentionFrames' },
  { key: 'fixes_days', label: 'settings.retentionFixes' },
  { key: 'reports_days', label: 'settings.retentionReports' },
  { key: 'evidence_packs_days', label: 'settings.retentionPacks' },
];

/** Each threshold: its API name, its label, and the step its input moves by. */
export const THRESHOLDS: Array<{ key: string; label: MessageKey; step: number }> = [
  { key: 'harsh_braking_ms2', label: 'settings.harshBraking', step: 0.1 },
  { key: 'harsh_acceleration_ms2', label: 'settings.harshAcceleration', step: 0.1 },
  { key: 'speeding_tolerance_kmh', label: 'settings.speedingTolerance', step: 1 },
  { key: 'speeding_min_seconds', label: 'settings.speedingMinSeconds', step: 1 },
  { key: 'idle_minutes', label: 'settings.idleMinutes', step: 1 },
  { key: 'trip_end_stop_minutes', label: 'settings.tripEndStopMinutes', step: 1 },
  { key: 'moving_speed_kmh', label: 'settings.movingSpeed', step: 1 },
  { key: 'offline_minutes', label: 'settings.offlineMinutes', step: 1 },
];

/** A threshold as the reader writes numbers ("3,5" in Spanish), without grouping so it reads back as typed. */
export const decimalText = (lang: string, value: number | undefined) => (value === undefined ? '' : new Intl.NumberFormat(lang === 'es' ? 'es-ES' : 'en-GB', { maximumFractionDigits: 2, useGrouping: false }).format(value));
/** "3,5" or "3.5" → 3.5; NaN for anything else. */
export const parseDecimal = (text: string) => (/^\d+([.,]\d+)?$/.test(text.trim()) ? Number(text.trim().replace(',', '.')) : NaN);

// Uncontrolled inputs (defaultValue): a re-render after saving must not put the old values back.
export default function FleetSettings({ fleet, zones }: FleetSettingsProps) {
  const { t, lang } = useI18n();
  const { busy, note, run } = useAction();

  const submit = (event: Event) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    const text = (name: string) => String(form.get(name) ?? '').trim();
    const unreadable = THRESHOLDS.find(({ key }) => Number.isNaN(parseDecimal(text(key))));
    if (unreadable) {
      (event.currentTarget as HTMLFormElement).querySelector<HTMLInputElement>(`#settings-${unreadable.key}`)?.focus();
      return run(async () => {
        throw new Error(`${t(unreadable.label)}: ${t('settings.numberExpected', { example: decimalText(lang, 3.5) })}`);
      }, null);
    }
    return run(async () => {
      await api(`/api/v1/fleets/${encodeURIComponent(fleet.id)}`, {
        method: 'PATCH',
        body: {
          name: text('name'),
          timezone: text('timezone'),
          locale: text('locale'),
          speed_limit_kmh: Number(text('speed_limit_kmh')),
          telemetry: Object.fromEntries(THRESHOLDS.map(({ key }) => [key, parseDecimal(text(key))])),
          ...(fleet.retention ? { retention: Object.fromEntries(RETENTION.map(({ key }) => [key, Number(text(key))])) } : {}),
          ...(fleet.drivers_see_own_score === undefined ? {} : { drivers_see_own_score: form.get('drivers_see_own_score') === 'on' }),
        },
      });
    }, t('settings.saved'));
  };

  return (
    <form class="card fleet-settings" onSubmit={submit} aria-labelledby="settings-fleet-title">
      <h2 id="settings-fleet-title">{t('settings.fleet')}</h2>
      <label for="settings-name">{t('adminFleets.name')}</label>
      <input id="settings-name" name="name" required maxLength={200} defaultValue={fleet.name} />
      <label for="settings-timezone">{t('adminFleets.timezone')}</label>
      <TimezoneSelect id="settings-timezone" name="timezone" value={fleet.timezone} zones={zones} hint />
      <label for="settings-locale">{t('settings.language')}</label>
      <select id="settings-locale" name="locale">
        <option value="es" selected={fleet.locale === 'es'}>
          Español
        </option>
        <option value="en" selected={fleet.locale === 'en'}>
          English
        </option>
      </select>
      <label for="settings-speed-limit">{t('adminFleets.speedLimit')}</label>
      <input id="settings-speed-limit" name="speed_limit_kmh" type="number" required min={10} max={250} step={1} inputMode="numeric" defaultValue={fleet.speed_limit_kmh} />
      <h3>{t('settings.rules')}</h3>
      <div class="settings-grid">
        {THRESHOLDS.map(({ key, label, step }) => (
          <div>
            <label for={`settings-${key}`}>{t(label)}</label>
            <input id={`settings-${key}`} name={key} type="text" required inputMode={step < 1 ? 'decimal' : 'numeric'} pattern="\d+([.,]\d+)?" defaultValue={decimalText(lang, fleet.telemetry[key])} />
          </div>
        ))}
      </div>
      {fleet.retention && (
        <>
          <h3>{t('settings.retention')}</h3>
          <div class="settings-grid">
            {RETENTION.map(({ key, label }) => (
              <div>
                <label for={`settings-${key}`}>{t(label)}</label>
                <input id={`settings-${key}`} name={key} type="number" required min={0} max={3650} step={1} inputMode="numeric" defaultValue={fleet.retention![key]} />
              </div>
            ))}
          </div>
        </>
      )}
      {fleet.drivers_see_own_score !== undefined && (
        <label class="checkbox" for="settings-drivers-see-own-score">
          <input id="settings-drivers-see-own-score" name="drivers_see_own_score" type="checkbox" defaultChecked={fleet.drivers_see_own_score} /> {t('settings.driversSeeOwnScore')}
        </label>
      )}
      <button type="submit" disabled={busy}>
        {t('settings.save')}
      </button>
      <ActionNote note={note} />
    </form>
  );
}
