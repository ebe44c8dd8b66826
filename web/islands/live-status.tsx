/** The live connection's state in the header: "Live", or a visible "Reconnecting…" while the feed is down. */
import { connection } from '../client/stores.ts';
import { useI18n } from './use-i18n.ts';

const TEXT = { connecting: 'live.connecting', open: 'live.open', reconnecting: 'live.reconnecting', ended: 'live.ended' } as const;

export default function LiveStatus() {
  const { t } = useI18n();
  const state = connection.value;
  return (
    <span class={`live-status live-${state}`} role="status" aria-live="polite" data-state={state}>
      <span class="live-dot" aria-hidden="true" />
      {t(TEXT[state])}
    </span>
  );
}
