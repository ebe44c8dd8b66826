/**
 * Ten recovery codes, shown once (after enrolment, or a new set): copy or download them, and confirm they are saved
 * before going on — the server keeps only their hashes, so this is the one chance to keep them.
 */
import { useState } from 'preact/hooks';
import { useI18n } from './use-i18n.ts';

export interface RecoveryCodesCardProps {
  codes: string[];
  /** Called once the person has confirmed the codes are saved. */
  onDone: () => void;
}

export function RecoveryCodesCard({ codes, onDone }: RecoveryCodesCardProps) {
  const { t } = useI18n();
  const [saved, setSaved] = useState(false);
  const [copied, setCopied] = useState(false);
  const text = `TaxiWatch recovery codes (each works once)\n${codes.join('\n')}\n`;

  const copy = async () => {
    await navigator.clipboard?.writeText(text).then(() => setCopied(true), () => setCopied(false));
  };
  const download = () => {
    const link = document.createElement('a');
    link.href = URL.createObjectURL(new Blob([text], { type: 'text/plain' }));
    link.download = 'taxiwatch-recovery-codes.txt';
    link.click();
    URL.revokeObjectURL(link.href);
  };

  return (
    <div class="recovery-codes" role="region" aria-labelledby="recovery-codes-title">
      <h2 id="recovery-codes-title">{t('recoveryCodes.title')}</h2>
      <p>{t('recoveryCodes.intro')}</p>
      <ol class="plain codes" data-testid="recovery-codes">
        {codes.map((code) => (
          <li key={code}>
            <code>{code}</code>
          </li>
        ))}
      </ol>
      <p class="actions">
        <button type="button" class="secondary" onClick={copy}>
          {t('recoveryCodes.copy')}
        </button>
        <button type="button" class="secondary" onClick={download}>
          {t('recoveryCodes.download')}
        </button>
        {copied && <span role="status" class="hint">{t('recoveryCodes.copied')}</span>}
      </p>
      <label class="toggle">
        <input type="checkbox" checked={saved} onChange={(e) => setSaved((e.currentTarget as HTMLInputElement).checked)} />{' '}
        {t('recoveryCodes.saved')}
      </label>
      <button type="button" disabled={!saved} onClick={onDone}>
        {t('recoveryCodes.continue')}
      </button>
    </div>
  );
}
