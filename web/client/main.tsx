/** The one client entry: hydrates the page's islands, then opens the tab's live connection. */
import { hydrate } from 'preact';
import { createI18n } from '../i18n/i18n.ts';
import { I18nContext } from '../islands/use-i18n.ts';
import { islandLoaders } from '../islands/registry.ts';
import { goToLogin, refreshSession } from './api.ts';
import { readBoot } from './boot.ts';
import { watchCriticalAlerts } from './critical-alarm.ts';
import { startLiveFeed } from './live-feed.ts';
import { serverNow, unreadCount } from './stores.ts';

const boot = readBoot();
const i18n = createI18n(boot.lang, boot.timeZone, boot.messages);
unreadCount.value = boot.unread;

async function hydrateIsland(element: HTMLElement): Promise<void> {
  const name = element.dataset.island!;
  const load = islandLoaders[name];
  if (!load) {
    console.error(`unknown island "${name}": add it to web/islands/registry.ts`);
    return;
  }
  const { default: Island } = await load();
  hydrate(
    <I18nContext.Provider value={i18n}>
      <Island {...JSON.parse(element.dataset.props ?? '{}')} />
    </I18nContext.Provider>,
    element,
  );
  element.dataset.hydrated = 'true';
}

// Hydration keeps the server's HTML as it is, so the stores must still hold what the server rendered: live events
// start changing them only once every island is hydrated (and re-renders on change).
await Promise.all(Array.from(document.querySelectorAll<HTMLElement>('[data-island]'), hydrateIsland));
const clockOffset = Date.parse(boot.serverTime) - Date.now();
const tick = () => (serverNow.value = Date.now() + clockOffset);
tick();
setInterval(tick, 15_000);
// Installable app: the service worker keeps the shell for offline starts (web/client/service-worker.ts).
navigator.serviceWorker?.register('/sw.js').catch(() => {});
if (boot.live) {
  startLiveFeed({ refreshSession, onSessionEnded: goToLogin });
  watchCriticalAlerts();
}
