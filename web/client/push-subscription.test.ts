/** Turning alerts on for a phone, with a fake browser: supported or not, permission granted, denied or dismissed. */
import { describe, expect, it } from 'vitest';
import type { PushManagerLike, PushSubscriptionLike } from './push-handlers.ts';
import {
  currentEndpoint,
  pushState,
  subscribeThisPhone,
  unsubscribeThisPhone,
  type ApiCall,
  type PushEnvironment,
} from './push-subscription.ts';

const ANDROID =
  'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Mobile Safari/537.36';
const IPHONE =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1';

function fakeBrowser(
  options: {
    permission?: NotificationPermission;
    answer?: NotificationPermission;
    subscribed?: boolean;
    push?: boolean;
    userAgent?: string;
    standalone?: boolean;
  } = {},
) {
  const log: string[] = [];
  let permission = options.permission ?? 'default';
  const unsubscribe = async () => {
    log.push('unsubscribe');
    subscription = null;
    return true;
  };
  let subscription: PushSubscriptionLike | null = options.subscribed
    ? {
        endpoint: 'https://push.example/old',
        toJSON: () => ({ endpoint: 'https://push.example/old', keys: { p256dh: 'P0', auth: 'A0' } }),
        unsubscribe,
      }
    : null;
  const pushManager: PushManagerLike = {
    getSubscription: async () => subscription,
    subscribe: async ({ applicationServerKey }) => {
      log.push(`subscribe ${[...(applicationServerKey as Uint8Array)].join(',')}`);
      subscription = {
        endpoint: 'https://push.example/new',
        toJSON: () => ({ endpoint: 'https://push.example/new', keys: { p256dh: 'P1', auth: 'A1' } }),
      };
      return subscription;
    },
  };
  const env: PushEnvironment = {
    userAgent: options.userAgent ?? ANDROID,
    standalone: options.standalone ?? false,
    notification:
      options.push === false
        ? null
        : {
            get permission() {
              return permission;
            },
            requestPermission: async () => {
              log.push('prompt');
              permission = options.answer ?? 'granted';
              return permission;
            },
          },
    registration: options.push === false ? null : async () => ({ pushManager }),
  };
  const call: ApiCall = async <T>(path: string, init?: { method?: string; body?: unknown }) => {
    log.push(`${init?.method ?? 'GET'} ${path}${init?.body ? ` ${JSON.stringify(init.body)}` : ''}`);
    return (path.endsWith('/push-key') ? { public_key: 'AQID' } : { id: 'ps_1' }) as T;
  };
  return { env, call, log };
}

describe('alerts on this phone', () => {
  it('asks nothing to find where the phone stands', async () => {
    expect(await pushState(fakeBrowser().env)).toBe('available');
    expect(await pushState(fakeBrowser({ permission: 'granted', subscribed: true }).env)).toBe('subscribed');
    expect(await pushState(fakeBrowser({ permission: 'granted' }).env)).toBe('available');
    expect(await pushState(fakeBrowser({ permission: 'denied' }).env)).toBe('denied');
    expect(await pushState(fakeBrowser({ push: false }).env)).toBe('unsupported');
    // iPhone Safari has Web Push only for an app opened from the home screen.
    expect(await pushState(fakeBrowser({ push: false, userAgent: IPHONE }).env)).toBe('install');
    expect(await pushState(fakeBrowser({ push: false, userAgent: IPHONE, standalone: true }).env)).toBe('unsupported');
    const browser = fakeBrowser();
    await pushState(browser.env);
    expect(browser.log).toEqual([]);
  });

  it('after the tap: prompts, subscribes with the server’s key and registers the subscription', async () => {
    const { env, call, log } = fakeBrowser();
    expect(await subscribeThisPhone(env, call)).toBe('subscribed');
    expect(log).toEqual([
      'prompt',
      'GET /api/v1/notifications/push-key',
      'subscribe 1,2,3',
      `POST /api/v1/notifications/push-subscriptions ${JSON.stringify({ endpoint: 'https://push.example/new', keys: { p256dh: 'P1', auth: 'A1' }, user_agent: ANDROID })}`,
    ]);
    expect(await currentEndpoint(env)).toBe('https://push.example/new');
  });

  it('registers an existing subscription again without a new prompt (e.g. removed from the list on another phone)', async () => {
    const { env, call, log } = fakeBrowser({ permission: 'granted', subscribed: true });
    expect(await subscribeThisPhone(env, call)).toBe('subscribed');
    expect(log).toHaveLength(1);
    expect(log[0]).toMatch(/^POST \/api\/v1\/notifications\/push-subscriptions .*push\.example\/old/);
  });

  it('stops at a refusal or a closed prompt, and sends nothing', async () => {
    const denied = fakeBrowser({ answer: 'denied' });
    expect(await subscribeThisPhone(denied.env, denied.call)).toBe('denied');
    expect(denied.log).toEqual(['prompt']);
    const closed = fakeBrowser({ answer: 'default' });
    expect(await subscribeThisPhone(closed.env, closed.call)).toBe('available');
    expect(closed.log).toEqual(['prompt']);
    const unsupported = fakeBrowser({ push: false, userAgent: IPHONE });
    expect(await subscribeThisPhone(unsupported.env, unsupported.call)).toBe('install');
    expect(unsupported.log).toEqual([]);
  });

  it('passes the server’s refusal on as the error to show', async () => {
    const { env } = fakeBrowser();
    const failing: ApiCall = async () => {
      throw new Error('endpoint: expected an https URL');
    };
    await expect(subscribeThisPhone(env, failing)).rejects.toThrow('endpoint: expected an https URL');
  });

  it('stops pushes to this browser when its own entry is removed, so it can be turned on again', async () => {
    const { env, log } = fakeBrowser({ permission: 'granted', subscribed: true });
    await unsubscribeThisPhone(env);
    expect(log).toEqual(['unsubscribe']);
    expect(await pushState(env)).toBe('available');
    await unsubscribeThisPhone(fakeBrowser({ push: false }).env);
  });
});
