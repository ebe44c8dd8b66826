/**
 * The app's service worker (served as /sw.js, scope /): keeps the shell — scripts, styles, icons and an offline
 * page — so an installed app opens without a connection and says it is reconnecting instead of failing. Pages are
 * always fetched from the network (they carry live, per-user data and are never cached); when the network fails a
 * navigation gets the offline page, which retries and reloads once the server answers. Hashed assets are served
 * from the cache once seen. API calls and the live feed are not touched.
 * It also shows alert pushes and opens the incident when one is tapped (web/client/push-handlers.ts holds the logic).
 * The server prepends `TW_SHELL` (web/server/install-routes.ts): this build's version and files.
 */
import { notificationFor, openFromNotification, readPushData, resubscribe, type ClientsLike, type PushManagerLike, type PushSubscriptionLike, type ShownNotification } from './push-handlers.ts';

declare const TW_SHELL: { version: string; urls: string[]; offline: string };

interface ExtendableEvent extends Event {
  waitUntil(work: Promise<unknown>): void;
}
interface FetchEvent extends ExtendableEvent {
  request: Request;
  respondWith(response: Promise<Response>): void;
}
interface PushEvent extends ExtendableEvent {
  data: { json(): unknown; text(): string } | null;
}
interface NotificationEvent extends ExtendableEvent {
  notification: { data: unknown; close(): void };
}
interface PushSubscriptionChangeEvent extends ExtendableEvent {
  newSubscription?: PushSubscriptionLike | null;
}
interface WorkerScope {
  addEventListener(type: 'install' | 'activate' | 'pushsubscriptionchange', listener: (event: ExtendableEvent) => void): void;
  addEventListener(type: 'fetch', listener: (event: FetchEvent) => void): void;
  addEventListener(type: 'push', listener: (event: PushEvent) => void): void;
  addEventListener(type: 'notificationclick', listener: (event: NotificationEvent) => void): void;
  skipWaiting(): Promise<void>;
  clients: ClientsLike & { claim(): Promise<void> };
  location: Location;
  registration: { pushManager: PushManagerLike; showNotification(title: string, options: ShownNotification['options']): Promise<void> };
  navigator: { userAgent: string };
  /** Chromium's Cookie Store API: how a worker reads the CSRF cookie (workers have no document.cookie). */
  cookieStore?: { get(name: string): Promise<{ value: string } | null> };
}

const worker = self as unknown as WorkerScope;
const CACHE = `taxiwatch-shell-${TW_SHELL.version}`;

worker.addEventListener('install', (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll([...TW_SHELL.urls, TW_SHELL.offline])).then(() => worker.skipWaiting()));
});

worker.addEventListener('activate', (event) => {
  // Earlier builds' shells go; this one serves every open tab at once.
  event.waitUntil(
    caches
      .keys()
      .then((names) => Promise.all(names.filter((name) => name.startsWith('taxiwatch-shell-') && name !== CACHE).map((name) => caches.delete(name))))
      .then(() => worker.clients.claim()),
  );
});

worker.addEventListener('fetch', (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== 'GET' || url.origin !== worker.location.origin) return;
  if (request.mode === 'navigate') {
    event.respondWith(fetch(request).catch(async () => (await caches.match(TW_SHELL.offline)) ?? Response.error()));
  } else if (url.pathname.startsWith('/assets/')) {
    // Content-hashed: a cached copy is the right one for as long as a page asks for it.
    event.respondWith(
      caches.match(request).then(
        (cached) =>
          cached ??
          fetch(request).then(async (response) => {
            if (response.ok) await (await caches.open(CACHE)).put(request, response.clone());
            return response;
          }),
      ),
    );
  }
});

const ICON = TW_SHELL.urls.find((url) => url.includes('icon-192'));

worker.addEventListener('push', (event) => {
  const { title, options } = notificationFor(readPushData(event.data), ICON);
  event.waitUntil(worker.registration.showNotification(title, options));
});

worker.addEventListener('notificationclick', (event) => {
  event.notification.close();
  event.waitUntil(openFromNotification(worker.clients, worker.location.origin, event.notification.data));
});

worker.addEventListener('pushsubscriptionchange', (event) => {
  const change = event as PushSubscriptionChangeEvent;
  event.waitUntil(
    (async () => {
      const csrf = (await worker.cookieStore?.get('tw_csrf').catch(() => null))?.value;
      // Best effort: without a session the app offers "Get alerts on this phone" again at the next visit.
      await resubscribe({ pushManager: worker.registration.pushManager, fetch, userAgent: worker.navigator.userAgent, csrfToken: csrf, newSubscription: change.newSubscription }).catch(() => false);
    })(),
  );
});
