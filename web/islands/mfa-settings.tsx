/**
 * The signed-in user's second factor on the settings page: on or off, how many recovery codes are left, and a new
 * set of codes (shown once) for a current authenticator code.
 */
import { useState } from 'preact/hooks';
import { api } from '../client/api.ts';
import { ActionNote } from './action-note.tsx';
import { RecoveryCodesCard } from './recovery-codes-card.tsx';
import { useAction } from './use-action.ts';
import { useI18n } from './use-i18n.ts';

export interface MfaSettingsProps {
  enabled: boolean;
  recoveryCodesLeft: number;
}

const FEW_CODES = 3;

export default function MfaSettings({ enabled, recoveryCodesLeft }: MfaSettingsProps) {
  const { t } = useI18n();
  const [left, setLeft] = useState(recoveryCodesLeft);
  const [codes, setCodes] = useState<string[] | null>(null);
  const { busy, note, run } = useAction();

  const renew = (event: Event) => {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const code = String(new FormData(form).get('code') ?? '').trim();
    return run(async () => {
      const result = await api<{ recovery_codes: string[] }>('/api/v1/auth/mfa/recovery-codes', { method: 'POST', body: { code } });
      form.reset();
      setCodes(result.recovery_codes);
      setLeft(result.recovery_codes.length);
    }, null);
  };

  return (
    <section class="card" aria-labelledby="mfa-title" data-testid="mfa-settings">
      <h2 id="mfa-title">{t('mfa.title')}</h2>
      <p>{enabled ? t('mfa.on', { count: left }) : t('mfa.off')}</p>
      {enabled && left <= FEW_CODES && !codes && <p class="error">{t('mfa.low')}</p>}
      {codes ? (
        <RecoveryCodesCard codes={codes} onDone={() => setCodes(null)} />
      ) : (
        enabled && (
          <form onSubmit={renew}>
            <p class="muted">{t('mfa.renewHint')}</p>
            <label for="mfa-renew-code">{t('login.code')}</label>
            <input id="mfa-renew-code" name="code" inputMode="numeric" autocomplete="one-time-code" pattern="\d{6}" required />
            <button type="submit" disabled={busy}>
              {t('mfa.renew')}
            </button>
          </form>
        )
      )}
      <ActionNote note={note} />
    </section>
  );
}
