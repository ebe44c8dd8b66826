/**
 * Web Push on this phone, from the page's side: can it get alerts here at all, has the person said no, is it already
 * on, and turning it on (the browser's permission prompt first — only ever after a tap — then the subscription, sent to
 * the server). The browser's pieces come in as an environment so the flow is tested with fakes.
 */
import {
  base64UrlToBytes,
  subscriptionBody,
  type PushManagerLike,
  type PushSubscriptionLike,
} from './push-handlers.ts';

/**
 * - unsupported: this browser has no Web Push.
 * - install: iPhone/iPad Safari, which has Web Push only for an app added to the home screen.
 * - denied: the person (or the browser) blocked notifications for this site; only the site settings undo that.
 * - available: it can be turned on.
 * - subscribed: this phone already gets alerts.
 */
export type PushState = 'unsupported' | 'install' | 'denied' | 'available' | 'subscribed';

export interface PushEnvironment {
  userAgent: string;
  /** Opened from the home screen (display-mode: standalone, or iOS's navigator.standalone). */
  standalone: boolean;
  notification: { permission: NotificationPermission; requestPermission(): Promise<NotificationPermission> } | null;
  /** The service worker's registration once active; null without service workers. */
  registration: (() => Promise<{ pushManager?: PushManagerLike } | null>) | null;
}

export type ApiCall = <T>(path: string, init?: { method?: string; body?: unknown }) => Promise<T>;

const isAppleMobile = (userAgent: string) =>
  /iPhone|iPad|iPod/.test(userAgent) || (/Macintosh/.test(userAgent) && /Mobile\//.test(userAgent));

async function pushManagerOf(env: PushEnvironment): Promise<PushManagerLike | null> {
  const registration = env.registration ? await env.registration() : null;
  return registration?.pushManager ?? null;
}

/** Where this phone stands, without asking the person anything. */
export async function pushState(env: PushEnvironment): Promise<PushState> {
  const pushManager = env.notification ? await pushManagerOf(env) : null;
  if (!env.notification || !pushManager)
    return isAppleMobile(env.userAgent) && !env.standalone ? 'install' : 'unsupported';
  if (env.notification.permission === 'denied') return 'denied';
  if (env.notification.permission === 'granted' && (await pushManager.getSubscription())) return 'subscribed';
  return 'available';
}

/** This browser's current subscription's endpoint, to tell "this phone" apart in the list of devices. */
export async function currentEndpoint(env: PushEnvironment): Promise<string | null> {
  const pushManager = env.notification ? await pushManagerOf(env) : null;
  return (await pushManager?.getSubscription())?.endpoint ?? null;
}

/**
 * Turns alerts on for this phone: asks the browser (call only from a tap), subscribes with the server's key, and
 * registers the subscription. Returns the new state: 'available' when the person closed the prompt without choosing.
 */
export async function subscribeThisPhone(env: PushEnvironment, call: ApiCall): Promise<PushState> {
  const pushManager = env.notification ? await pushManagerOf(env) : null;
  if (!env.notification || !pushManager)
    return isAppleMobile(env.userAgent) && !env.standalone ? 'install' : 'unsupported';
  const permission = env.notification.permission === 'granted' ? 'granted' : await env.notification.requestPermission();
  if (permission === 'denied') return 'denied';
  if (permission !== 'granted') return 'available';
  let subscription: PushSubscriptionLike | null = await pushManager.getSubscription();
  if (!subscription) {
    const { public_key } = await call<{ public_key: string }>('/api/v1/notifications/push-key');
    subscription = await pushManager.subscribe({
      userVisibleOnly: true,
      applicationServerKey: base64UrlToBytes(public_key),
    });
  }
  await call('/api/v1/notifications/push-subscriptions', {
    method: 'POST',
    body: subscriptionBody(subscription, env.userAgent),
  });
  return 'subscribed';
}

/** Stops pushes to this browser (after its entry was removed from the list, so it can be turned on again here). */
export async function unsubscribeThisPhone(env: PushEnvironment): Promise<void> {
  const pushManager = env.notification ? await pushManagerOf(env) : null;
  await (await pushManager?.getSubscription())?.unsubscribe?.();
}

/** The real browser's environment (called in effects and handlers only: the server has no window). */
export function browserPushEnvironment(): PushEnvironment {
  const hasNotification = typeof Notification !== 'undefined';
  const sw = typeof navigator !== 'undefined' ? navigator.serviceWorker : undefined;
  return {
    userAgent: navigator.userAgent,
    standalone:
      matchMedia('(display-mode: standalone)').matches || (navigator as { standalone?: boolean }).standalone === true,
    notification: hasNotification
      ? {
          get permission() {
            return Notification.permission;
          },
          requestPermission: () => Notification.requestPermission(),
        }
      : null,
    // `ready` waits for an active worker; one that never arrives (a failed install) must not hang the card forever.
    registration:
      sw && typeof PushManager !== 'undefined'
        ? () =>
            Promise.race([
              sw.ready as Promise<{ pushManager?: PushManagerLike }>,
              new Promise<null>((resolve) => setTimeout(() => resolve(null), 10_000)),
            ])
        : null,
  };
}
