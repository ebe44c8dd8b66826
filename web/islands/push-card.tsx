/**
 * "Get alerts on this phone": a card on the alerts page and the map after login, and the same control in the
 * notification settings. The browser's permission prompt appears only after a tap on its button (never on page
 * load); a browser without Web Push, a blocked site, or an iPhone that first needs the app on its home screen each
 * get their own explanation. Hidden once this phone gets alerts, and for two weeks after "Not now".
 * Only the browser knows any of this, so the server renders nothing and the state arrives in an effect.
 */
import { useEffect, useState } from 'preact/hooks';
import { api } from '../client/api.ts';
import {
  browserPushEnvironment,
  pushState,
  subscribeThisPhone,
  type PushEnvironment,
  type PushState,
} from '../client/push-subscription.ts';
import type { MessageKey } from '../i18n/messages-en.ts';
import { ActionNote } from './action-note.tsx';
import { useAction } from './use-action.ts';
import { useI18n } from './use-i18n.ts';

export interface PushCardProps {
  /** The card on the alerts page and map can be put off; the settings page's control cannot. */
  dismissable?: boolean;
}

const LATER_KEY = 'tw_push_later';
const LATER_MS = 14 * 86_400_000;

/** What the card says for a state, or null to show nothing. */
export const PUSH_STATE_TEXT: Record<PushState, MessageKey | null> = {
  unsupported: 'push.unsupported',
  install: 'push.install',
  denied: 'push.denied',
  available: 'push.intro',
  subscribed: null,
};

export function PushControl({
  dismissable,
  environment,
  onSubscribed,
}: {
  dismissable: boolean;
  environment?: () => PushEnvironment;
  onSubscribed?: () => void;
}) {
  const { t } = useI18n();
  const [state, setState] = useState<PushState | null>(null);
  const [hidden, setHidden] = useState(false);
  const { busy, note, run } = useAction();

  useEffect(() => {
    const laterUntil = dismissable ? Number(localStorage.getItem(LATER_KEY) ?? 0) : 0;
    if (laterUntil > Date.now()) return setHidden(true);
    pushState((environment ?? browserPushEnvironment)())
      .then(setState)
      .catch(() => setState('unsupported'));
  }, []);

  if (hidden || state === null) return null;
  if (state === 'subscribed') {
    if (dismissable) return note ? <ActionNote note={note} /> : null;
    return (
      <p class="done" data-state={state}>
        {t('push.thisPhoneOn')}
      </p>
    );
  }

  const enable = () =>
    run(async () => {
      const next = await subscribeThisPhone((environment ?? browserPushEnvironment)(), api);
      setState(next);
      if (next === 'available') throw new Error(t('push.dismissed'));
      if (next === 'subscribed') onSubscribed?.();
    }, t('push.enabled'));
  const later = () => {
    localStorage.setItem(LATER_KEY, String(Date.now() + LATER_MS));
    setHidden(true);
  };

  const text = PUSH_STATE_TEXT[state];
  return (
    <div class={dismissable ? 'card push-card' : 'push-control'} data-testid="push-card" data-state={state}>
      {dismissable && <h2>{t('push.title')}</h2>}
      {text && <p class={state === 'available' ? undefined : 'hint'}>{t(text)}</p>}
      <div class="actions">
        {state === 'available' && (
          <button type="button" onClick={enable} disabled={busy}>
            {t('push.enable')}
          </button>
        )}
        {dismissable && (
          <button type="button" class="secondary" onClick={later}>
            {t('push.later')}
          </button>
        )}
      </div>
      <ActionNote note={note} />
    </div>
  );
}

export default function PushCard({ dismissable = true }: PushCardProps) {
  return <PushControl dismissable={dismissable} />;
}
