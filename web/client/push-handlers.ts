/**
 * What the service worker does with a push and with a tap on its notification, as plain functions over the slices of
 * the worker's API they use, so they are tested without a browser (service-worker.ts only wires them to events).
 */

/** The JSON the server pushes for an alert (edge notifications): everything the notification needs, already in the person's language. */
export interface AlertPush {
  title: string;
  body: string;
  url: string;
  tag: string;
  alert_id: string;
  incident_id: string | null;
  severity: string;
  lang: string;
}

export interface ShownNotification {
  title: string;
  options: {
    body: string;
    tag?: string;
    lang?: string;
    icon?: string;
    badge?: string;
    data: { url: string };
    /** CRITICAL stays on screen until the person acts on it. */
    requireInteraction: boolean;
    /** A newer push for the same alert (an escalation) alerts again instead of replacing silently. */
    renotify?: boolean;
    timestamp?: number;
  };
}

/** Only paths of this app: a push must never send the person to another site. */
export function safeAppPath(url: unknown): string {
  if (typeof url !== 'string' || !url.startsWith('/') || url.startsWith('//') || url.startsWith('/\\'))
    return '/alerts';
  return url;
}

const text = (value: unknown, max: number) => (typeof value === 'string' ? value.slice(0, max) : '');

/**
 * The notification for a push's data. A push that cannot be read still shows something (browsers penalise a push that
 * shows nothing, and the person should look at the app anyway).
 */
export function notificationFor(payload: unknown, icon?: string): ShownNotification {
  const data = (payload && typeof payload === 'object' ? payload : {}) as Partial<Record<keyof AlertPush, unknown>>;
  const lang = data.lang === 'en' ? 'en' : 'es';
  const title = text(data.title, 200) || (lang === 'en' ? 'TaxiWatch: new alert' : 'TaxiWatch: nueva alerta');
  const tag = text(data.tag, 200) || undefined;
  return {
    title,
    options: {
      body: text(data.body, 1000),
      tag,
      lang,
      icon,
      badge: icon,
      data: { url: safeAppPath(data.url) },
      requireInteraction: data.severity === 'CRITICAL',
      renotify: tag ? true : undefined,
    },
  };
}

/** A push message's data: JSON, or text that is not (shown as the body). */
export function readPushData(data: { json(): unknown; text(): string } | null | undefined): unknown {
  if (!data) return null;
  try {
    return data.json();
  } catch {
    return { body: data.text() };
  }
}

export interface WindowClientLike {
  url: string;
  focused?: boolean;
  focus(): Promise<unknown>;
  navigate?(url: string): Promise<unknown>;
}
export interface ClientsLike {
  matchAll(options: { type: 'window'; includeUncontrolled: boolean }): Promise<readonly WindowClientLike[]>;
  openWindow(url: string): Promise<unknown>;
}

/**
 * A tap on a notification: the app's tab if one is open (the focused one first), brought forward and moved to the
 * incident; otherwise a new window on it. `origin` is the worker's, so the path becomes an absolute URL of this app.
 */
export async function openFromNotification(clients: ClientsLike, origin: string, data: unknown): Promise<void> {
  const path = safeAppPath((data as { url?: unknown } | null)?.url);
  const target = new URL(path, origin).href;
  const open = (await clients.matchAll({ type: 'window', includeUncontrolled: true })).filter((c) =>
    c.url.startsWith(origin),
  );
  const tab = open.find((c) => c.focused) ?? open[0];
  if (!tab) {
    await clients.openWindow(target);
    return;
  }
  await tab.focus();
  if (tab.url !== target && tab.navigate) await tab.navigate(target).catch(() => clients.openWindow(target));
}

export interface PushSubscriptionLike {
  endpoint: string;
  toJSON(): { endpoint?: string; keys?: Record<string, string> };
  unsubscribe?(): Promise<boolean>;
}
export interface PushManagerLike {
  getSubscription(): Promise<PushSubscriptionLike | null>;
  subscribe(options: {
    userVisibleOnly: boolean;
    applicationServerKey: Uint8Array | ArrayBuffer;
  }): Promise<PushSubscriptionLike>;
}

/** The body of POST /api/v1/notifications/push-subscriptions for a subscription. */
export function subscriptionBody(subscription: PushSubscriptionLike, userAgent: string) {
  const json = subscription.toJSON();
  return {
    endpoint: json.endpoint ?? subscription.endpoint,
    keys: { p256dh: json.keys?.p256dh ?? '', auth: json.keys?.auth ?? '' },
    user_agent: userAgent.slice(0, 300),
  };
}

/** A VAPID public key as the server gives it (base64url) → the bytes PushManager.subscribe wants. */
export function base64UrlToBytes(value: string): Uint8Array {
  const base64 = value.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (value.length % 4)) % 4);
  const binary = atob(base64);
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}

/**
 * The browser replaced or dropped the subscription (keys rotated, it expired): subscribe again with the same server key
 * and register the new one. Works only while the session cookie is valid — the worker sends it with `credentials` —
 * and otherwise the app offers "Get alerts on this phone" again at the next visit. The old one is removed by the
 * server once the push service answers 404/410 for it.
 */
export async function resubscribe(deps: {
  pushManager: PushManagerLike;
  fetch: typeof fetch;
  userAgent: string;
  csrfToken?: string;
  newSubscription?: PushSubscriptionLike | null;
}): Promise<boolean> {
  let subscription = deps.newSubscription ?? (await deps.pushManager.getSubscription());
  if (!subscription) {
    const keyResponse = await deps.fetch('/api/v1/notifications/push-key', {
      credentials: 'same-origin',
      headers: { accept: 'application/json' },
    });
    if (!keyResponse.ok) return false;
    const { public_key } = (await keyResponse.json()) as { public_key: string };
    subscription = await deps.pushManager.subscribe({
      userVisibleOnly: true,
      applicationServerKey: base64UrlToBytes(public_key),
    });
  }
  const saved = await deps.fetch('/api/v1/notifications/push-subscriptions', {
    method: 'POST',
    credentials: 'same-origin',
    headers: {
      accept: 'application/json',
      'content-type': 'application/json',
      ...(deps.csrfToken ? { 'x-csrf-token': deps.csrfToken } : {}),
    },
    body: JSON.stringify(subscriptionBody(subscription, deps.userAgent)),
  });
  return saved.ok;
}
