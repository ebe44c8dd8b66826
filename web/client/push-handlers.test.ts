/** The service worker's push and notification-tap handling, over fake worker APIs. */
import { describe, expect, it } from 'vitest';
import {
  base64UrlToBytes,
  notificationFor,
  openFromNotification,
  readPushData,
  resubscribe,
  safeAppPath,
  subscriptionBody,
  type WindowClientLike,
} from './push-handlers.ts';

const ORIGIN = 'https://fleet.example';
const push = {
  title: 'CRITICAL · 1234ABC',
  body: 'Possible accident at 08:00',
  url: '/incidents/inc_1',
  tag: 'alert-al_1',
  alert_id: 'al_1',
  incident_id: 'inc_1',
  severity: 'CRITICAL',
  lang: 'en',
};

function fakeClients(tabs: Array<{ url: string; focused?: boolean; navigable?: boolean }>) {
  const log: string[] = [];
  const clients = tabs.map((tab, index): WindowClientLike => ({
    url: tab.url,
    focused: tab.focused,
    focus: async () => log.push(`focus ${index}`),
    navigate: tab.navigable === false ? undefined : async (url: string) => log.push(`navigate ${index} ${url}`),
  }));
  return {
    log,
    clients: { matchAll: async () => clients, openWindow: async (url: string) => log.push(`open ${url}`) },
  };
}

describe('push notifications in the service worker', () => {
  it('shows the alert with its text, its tag and the incident to open; CRITICAL stays until acted on', () => {
    const shown = notificationFor(push, '/assets/icon-192-AB.png');
    expect(shown.title).toBe('CRITICAL · 1234ABC');
    expect(shown.options).toMatchObject({
      body: 'Possible accident at 08:00',
      tag: 'alert-al_1',
      lang: 'en',
      icon: '/assets/icon-192-AB.png',
      badge: '/assets/icon-192-AB.png',
      data: { url: '/incidents/inc_1' },
      requireInteraction: true,
      renotify: true,
    });
    expect(notificationFor({ ...push, severity: 'HIGH' }).options.requireInteraction).toBe(false);
  });

  it('still shows something for a push it cannot read, and never links outside the app', () => {
    expect(notificationFor(null)).toMatchObject({
      title: 'TaxiWatch: nueva alerta',
      options: { body: '', data: { url: '/alerts' }, requireInteraction: false },
    });
    expect(
      notificationFor(readPushData({ json: () => JSON.parse('not json'), text: () => 'plain words' })).options.body,
    ).toBe('plain words');
    expect(readPushData(null)).toBeNull();
    for (const bad of ['https://evil.example/x', '//evil.example', '/\\evil.example', 'javascript:alert(1)', 42])
      expect(safeAppPath(bad), String(bad)).toBe('/alerts');
    expect(safeAppPath('/incidents/inc_1?from=push')).toBe('/incidents/inc_1?from=push');
  });

  it('a tap focuses the open app tab (the focused one first) and moves it to the incident', async () => {
    const { log, clients } = fakeClients([
      { url: `${ORIGIN}/map` },
      { url: `${ORIGIN}/alerts`, focused: true },
      { url: 'https://other.example/' },
    ]);
    await openFromNotification(clients, ORIGIN, { url: '/incidents/inc_1' });
    expect(log).toEqual(['focus 1', `navigate 1 ${ORIGIN}/incidents/inc_1`]);
  });

  it('a tap opens a new window when no app tab is open, and does not navigate a tab already there', async () => {
    const none = fakeClients([{ url: 'https://other.example/' }]);
    await openFromNotification(none.clients, ORIGIN, { url: '/incidents/inc_1' });
    expect(none.log).toEqual([`open ${ORIGIN}/incidents/inc_1`]);
    const there = fakeClients([{ url: `${ORIGIN}/incidents/inc_1` }]);
    await openFromNotification(there.clients, ORIGIN, { url: '/incidents/inc_1' });
    expect(there.log).toEqual(['focus 0']);
    const bad = fakeClients([]);
    await openFromNotification(bad.clients, ORIGIN, { url: 'https://evil.example/' });
    expect(bad.log).toEqual([`open ${ORIGIN}/alerts`]);
  });

  it('turns the server’s base64url key into bytes and a subscription into the API’s body', () => {
    expect([...base64UrlToBytes('AQID_-8')]).toEqual([1, 2, 3, 255, 239]);
    const subscription = {
      endpoint: 'https://push.example/abc',
      toJSON: () => ({ endpoint: 'https://push.example/abc', keys: { p256dh: 'P', auth: 'A' } }),
    };
    expect(subscriptionBody(subscription, 'UA')).toEqual({
      endpoint: 'https://push.example/abc',
      keys: { p256dh: 'P', auth: 'A' },
      user_agent: 'UA',
    });
  });

  it('re-subscribes when the browser dropped the subscription, and registers the new one with the CSRF token', async () => {
    const calls: Array<{ url: string; init?: RequestInit }> = [];
    const fetch = (async (url: string, init?: RequestInit) => {
      calls.push({ url, init });
      if (url.endsWith('/push-key')) return Response.json({ public_key: 'AQID' });
      return Response.json({ id: 'ps_1' }, { status: 201 });
    }) as typeof globalThis.fetch;
    let subscribedWith: Uint8Array | null = null;
    const pushManager = {
      getSubscription: async () => null,
      subscribe: async (options: { applicationServerKey: Uint8Array | ArrayBuffer }) => {
        subscribedWith = options.applicationServerKey as Uint8Array;
        return {
          endpoint: 'https://push.example/new',
          toJSON: () => ({ endpoint: 'https://push.example/new', keys: { p256dh: 'P2', auth: 'A2' } }),
        };
      },
    };
    expect(await resubscribe({ pushManager, fetch, userAgent: 'UA', csrfToken: 'csrf-1' })).toBe(true);
    expect([...subscribedWith!]).toEqual([1, 2, 3]);
    const post = calls[1];
    expect(post.url).toBe('/api/v1/notifications/push-subscriptions');
    expect(post.init?.method).toBe('POST');
    expect((post.init?.headers as Record<string, string>)['x-csrf-token']).toBe('csrf-1');
    expect(JSON.parse(String(post.init?.body))).toEqual({
      endpoint: 'https://push.example/new',
      keys: { p256dh: 'P2', auth: 'A2' },
      user_agent: 'UA',
    });
  });

  it('uses the subscription the browser hands over, and gives up quietly without a session', async () => {
    const urls: string[] = [];
    const fetch = (async (url: string) => {
      urls.push(url);
      return new Response(null, { status: 401 });
    }) as typeof globalThis.fetch;
    const given = {
      endpoint: 'https://push.example/given',
      toJSON: () => ({ endpoint: 'https://push.example/given', keys: { p256dh: 'P', auth: 'A' } }),
    };
    const pushManager = { getSubscription: async () => null, subscribe: async () => given };
    expect(await resubscribe({ pushManager, fetch, userAgent: 'UA', newSubscription: given })).toBe(false);
    expect(urls).toEqual(['/api/v1/notifications/push-subscriptions']);
    expect(await resubscribe({ pushManager, fetch, userAgent: 'UA' })).toBe(false);
    expect(urls.at(-1)).toBe('/api/v1/notifications/push-key');
  });
});
