/** The Alerts link with its unread count, which live alerts raise while the page is open. */
import { unreadCount } from '../client/stores.ts';
import { useI18n } from './use-i18n.ts';

export default function UnreadBadge({ initial, current }: { initial: number; current: boolean }) {
  const { t } = useI18n();
  // The server renders its own count; in the browser the store (seeded from the page, raised by live alerts) rules.
  const count = typeof window === 'undefined' ? initial : unreadCount.value;
  return (
    <a href="/alerts" class="nav-link" aria-current={current ? 'page' : undefined}>
      {t('nav.alerts')}
      {count > 0 && (
        <span class="badge" data-testid="unread-count" aria-label={t('alerts.unread', { count })}>
          {count > 99 ? '99+' : count}
        </span>
      )}
    </a>
  );
}
