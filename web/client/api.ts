/**
 * Calls to the REST API from islands, with the browser session: the cookie carries the access token, writes echo
 * the CSRF cookie in X-CSRF-Token, and an expired access token is refreshed once before giving up to the login page.
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export function csrfToken(cookies: string = document.cookie): string {
  return (
    cookies
      .split(/;\s*/)
      .find((c) => c.startsWith('tw_csrf='))
      ?.slice('tw_csrf='.length) ?? ''
  );
}

let refreshing: Promise<boolean> | null = null;

/** True while the access cookie still works (another tab may just have refreshed it). */
async function accessStillValid(): Promise<boolean> {
  const res = await fetch('/api/v1/auth/me', { credentials: 'same-origin' }).catch(() => null);
  return res?.ok ?? false;
}

/**
 * Exchanges the refresh cookie for a new access cookie. Refresh tokens rotate and a reused one revokes the whole
 * login, so refreshes never overlap: one per tab at a time, and one across tabs with the Web Locks API; inside
 * the lock we first check whether another tab already did it.
 */
export function refreshSession(): Promise<boolean> {
  const run = async () => {
    if (await accessStillValid()) return true;
    const res = await fetch('/api/v1/auth/refresh', {
      method: 'POST',
      headers: { 'x-csrf-token': csrfToken() },
      credentials: 'same-origin',
    }).catch(() => null);
    return res?.ok ?? false;
  };
  refreshing ??= (
    (navigator.locks ? navigator.locks.request('tw-session-refresh', run) : run()) as Promise<boolean>
  ).finally(() => (refreshing = null));
  return refreshing!;
}

/**
 * Set once the page is on its way to the login page. Logging out revokes the session while other islands still
 * have requests in flight; their 401s must not start a second navigation that aborts the first.
 */
let leaving = false;
// A page restored from the back/forward cache keeps this module's state: it is no longer leaving.
globalThis.addEventListener?.('pageshow', (event) => {
  if ((event as PageTransitionEvent).persisted) leaving = false;
});

export function goToLogin(): void {
  if (leaving) return;
  leaving = true;
  location.assign(`/login?next=${encodeURIComponent(location.pathname + location.search)}`);
}

/** Ends the session (the refresh cookie only travels to /api/v1/auth) and goes to the login page. */
export async function logOut(): Promise<void> {
  leaving = true;
  await fetch('/api/v1/auth/logout', {
    method: 'POST',
    headers: { 'x-csrf-token': csrfToken() },
    credentials: 'same-origin',
  }).catch(() => {});
  location.assign('/login');
}

export async function api<T>(
  path: string,
  init: { method?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<T> {
  const send = () =>
    fetch(path, {
      method: init.method ?? 'GET',
      credentials: 'same-origin',
      headers: {
        accept: 'application/json',
        'x-csrf-token': csrfToken(),
        ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
        ...init.headers,
      },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });
  let res = await send();
  if (res.status === 401 && (await refreshSession())) res = await send();
  if (res.status === 401) {
    goToLogin();
    throw new ApiError(401, 'unauthorized', 'session expired');
  }
  if (res.status === 204) return undefined as T;
  const body = await res.json().catch(() => null);
  if (!res.ok)
    throw new ApiError(res.status, body?.error?.code ?? 'error', body?.error?.message ?? `HTTP ${res.status}`);
  return body as T;
}
