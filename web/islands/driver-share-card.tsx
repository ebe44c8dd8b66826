/**
 * "Share with driver" on a scorecard (issue 21's driver view), for owners of a fleet that lets drivers see their own
 * score: creates a read-only link (POST /api/v1/drivers/{id}/share-link), shows it once with a copy button, its QR
 * code and its expiry, and withdraws the driver's links (DELETE). The QR encoder is loaded only when a link is made,
 * so the scorecard's JavaScript stays small.
 */
import { useState } from 'preact/hooks';
import { api } from '../client/api.ts';
import { ActionNote } from './action-note.tsx';
import { useAction, type ActionNote as Note } from './use-action.ts';
import { useI18n } from './use-i18n.ts';

export interface DriverShareCardProps {
  driverId: string;
  driverName: string;
}

/** Choices for how long a link works (the API takes 1–90 days; 30 is its default). */
export const SHARE_DAYS = [7, 30, 90] as const;

interface Link {
  url: string;
  expires_at: string;
  qr: string;
}

export default function DriverShareCard({ driverId, driverName }: DriverShareCardProps) {
  const { t, dateTime } = useI18n();
  const { busy, note, run } = useAction();
  const [link, setLink] = useState<Link | null>(null);
  const [copyNote, setCopyNote] = useState<Note | null>(null);
  const [done, setDone] = useState<Note | null>(null);
  const path = `/api/v1/drivers/${encodeURIComponent(driverId)}/share-link`;

  const create = (event: Event) => {
    event.preventDefault();
    const days = Number(new FormData(event.currentTarget as HTMLFormElement).get('expires_in_days'));
    setCopyNote(null);
    setDone(null);
    return run(async () => {
      const [made, { renderSVG }] = await Promise.all([
        api<{ url: string; expires_at: string }>(path, { method: 'POST', body: { expires_in_days: days } }),
        import('uqr'),
      ]);
      setLink({ ...made, qr: renderSVG(made.url) });
    }, t('scores.share.created'));
  };

  const revoke = () => {
    setCopyNote(null);
    setDone(null);
    return run(async () => {
      const { revoked } = await api<{ revoked: number }>(path, { method: 'DELETE' });
      setLink(null);
      // How many were withdrawn is only known here, so this note is set by hand rather than through run's.
      setDone({ text: t('scores.share.revoked', { count: revoked }), error: false });
    }, null);
  };

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(link!.url);
      setCopyNote({ text: t('scores.share.copied'), error: false });
    } catch {
      setCopyNote({ text: t('scores.share.copyFailed'), error: true });
    }
  };

  return (
    <section class="card driver-share" aria-labelledby="driver-share-title" data-testid="driver-share">
      <h2 id="driver-share-title">{t('scores.share.title')}</h2>
      <p class="muted">{t('scores.share.intro', { name: driverName })}</p>
      <form onSubmit={create}>
        <label for="driver-share-days">{t('scores.share.validFor')}</label>
        <select id="driver-share-days" name="expires_in_days" defaultValue="30">
          {SHARE_DAYS.map((d) => (
            <option value={String(d)}>{t('scores.share.days', { days: d })}</option>
          ))}
        </select>
        <button type="submit" disabled={busy}>
          {t('scores.share.create')}
        </button>
      </form>
      {link && (
        <div class="share-link" data-testid="driver-share-link">
          <label for="driver-share-url">{t('scores.share.link')}</label>
          <input id="driver-share-url" type="url" readOnly value={link.url} onFocus={(e) => e.currentTarget.select()} />
          <button type="button" onClick={copy}>
            {t('scores.share.copy')}
          </button>
          <ActionNote note={copyNote} inline />
          <p data-testid="driver-share-expires">{t('scores.share.expires', { date: dateTime(link.expires_at) })}</p>
          <figure class="qr" data-qr-text={link.url}>
            <div aria-hidden="true" dangerouslySetInnerHTML={{ __html: link.qr }} />
            <figcaption>
              <small>{t('scores.share.qr')}</small>
            </figcaption>
          </figure>
        </div>
      )}
      <p class="muted">{t('scores.share.revokeHint')}</p>
      <button type="button" class="danger" onClick={revoke} disabled={busy}>
        {t('scores.share.revoke')}
      </button>
      <ActionNote note={note ?? done} />
    </section>
  );
}
