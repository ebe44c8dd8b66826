/** The session helpers: a logout navigates once, even when other requests fail with 401 while it runs. */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

describe('leaving for the login page', () => {
  let assigned: string[];
  let listeners: Record<string, (event: unknown) => void>;

  beforeEach(() => {
    vi.resetModules();
    assigned = [];
    listeners = {};
    vi.stubGlobal(
      'addEventListener',
      (type: string, listener: (event: unknown) => void) => (listeners[type] = listener),
    );
    vi.stubGlobal('location', { pathname: '/settings', search: '', assign: (url: string) => assigned.push(url) });
    vi.stubGlobal('document', { cookie: 'tw_csrf=abc' });
  });
  afterEach(() => vi.unstubAllGlobals());

  it('logs out with the CSRF token and goes to /login once, however many 401s arrive meanwhile', async () => {
    let finishLogout!: () => void;
    const calls: { url: string; csrf: string | null }[] = [];
    vi.stubGlobal('fetch', (url: string, init: RequestInit) => {
      calls.push({ url, csrf: new Headers(init.headers).get('x-csrf-token') });
      return new Promise<Response>((resolve) => (finishLogout = () => resolve(new Response(null, { status: 204 }))));
    });
    const { goToLogin, logOut } = await import('./api.ts');
    const done = logOut();
    goToLogin(); // the live feed's session ended while the logout request ran
    finishLogout();
    await done;
    expect(calls).toEqual([{ url: '/api/v1/auth/logout', csrf: 'abc' }]);
    expect(assigned).toEqual(['/login']);
  });

  it('goes to the login page with the current page as next, only once', async () => {
    const { goToLogin } = await import('./api.ts');
    goToLogin();
    goToLogin();
    expect(assigned).toEqual(['/login?next=%2Fsettings']);
  });

  it('can leave again once the page comes back from the back/forward cache', async () => {
    const { goToLogin } = await import('./api.ts');
    goToLogin();
    listeners.pageshow!({ persisted: false });
    goToLogin();
    listeners.pageshow!({ persisted: true });
    goToLogin();
    expect(assigned).toEqual(['/login?next=%2Fsettings', '/login?next=%2Fsettings']);
  });
});
