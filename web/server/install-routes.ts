/**
 * What makes the web app installable: the web app manifest (/manifest.webmanifest: name, start page, standalone
 * display, colours, the icons web/build.ts draws), the service worker (/sw.js, served from the root so its scope
 * is the whole app, with this build's shell list prepended) and the offline page it shows when the server cannot
 * be reached (/offline: "Reconnecting…", retrying on its own). No session needed: nothing here is per user.
 */
import type { Context, Hono } from 'hono';
import { getCookie } from 'hono/cookie';
import type { AppEnv } from '../../edge/app-env.ts';
import { scriptHash } from '../../edge/middleware/content-security-policy.ts';
import { isLang, LANG_COOKIE, langFromAcceptLanguage, type Lang } from '../i18n/i18n.ts';
import { i18nFor } from '../i18n/messages.ts';
import type { WebAssets } from './web-assets.ts';

export const OFFLINE_PATH = '/offline';
const THEME = '#0f172a';
const BACKGROUND = '#f1f5f9';

const langOf = (c: Context<AppEnv>): Lang => {
  const remembered = getCookie(c, LANG_COOKIE);
  return isLang(remembered) ? remembered : langFromAcceptLanguage(c.req.header('accept-language'), 'es');
};

export function registerInstallRoutes(app: Hono<AppEnv>, assets: WebAssets) {
  app.get('/manifest.webmanifest', async (c) => {
    const files = (await assets.manifest())?.files ?? {};
    const lang = langOf(c);
    const icons = [
      ...(files['icon-192.png'] ? [{ src: files['icon-192.png'], sizes: '192x192', type: 'image/png', purpose: 'any' }] : []),
      ...(files['icon-512.png'] ? [{ src: files['icon-512.png'], sizes: '512x512', type: 'image/png', purpose: 'any' }, { src: files['icon-512.png'], sizes: '512x512', type: 'image/png', purpose: 'maskable' }] : []),
      ...(files['icon.svg'] ? [{ src: files['icon.svg'], sizes: 'any', type: 'image/svg+xml' }] : []),
    ];
    const body = {
      name: 'TaxiWatch',
      short_name: 'TaxiWatch',
      description: i18nFor(lang).t('map.label'),
      lang,
      id: '/map',
      start_url: '/map',
      scope: '/',
      display: 'standalone',
      background_color: BACKGROUND,
      theme_color: THEME,
      icons,
    };
    return c.body(JSON.stringify(body), 200, { 'content-type': 'application/manifest+json; charset=utf-8', 'cache-control': 'no-cache' });
  });

  app.get('/sw.js', async (c) => {
    const manifest = await assets.manifest();
    const file = manifest?.files['sw.js'];
    const script = file ? await assets.response(file.replace(/^\/assets\//, '')) : null;
    if (!manifest || !script) return c.text('the web app is not built: run npm run build:web', 404);
    const shell = { version: file!.replace(/^.*sw-|\.js$/g, ''), urls: ['main.js', 'app.css', 'icon-192.png', 'icon.svg'].flatMap((name) => (manifest.files[name] ? [manifest.files[name]] : [])), offline: OFFLINE_PATH };
    // A service worker is checked for updates on every navigation: never cached by HTTP, scoped to the whole app.
    return c.body(`const TW_SHELL = ${JSON.stringify(shell)};\n${await script.text()}`, 200, { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'no-cache', 'service-worker-allowed': '/' });
  });

  app.get(OFFLINE_PATH, async (c) => {
    const files = (await assets.manifest())?.files ?? {};
    const lang = langOf(c);
    const { t } = i18nFor(lang);
    const css = files['app.css'] ? `<link rel="stylesheet" href="${files['app.css']}">` : '';
    // It retries by itself, backing off to 30 s, and reloads the page the person was opening once the server answers.
    // The page's one inline script is allowed by its hash (the app's policy allows no inline script), and wires the
    // retry button itself, since an onclick attribute would need a weaker policy.
    const retry = `(function(){var wait=2000;function check(){fetch('/api/v1/health',{cache:'no-store'}).then(function(){location.reload()},later)}function later(){wait=Math.min(wait*2,30000);setTimeout(check,wait)}setTimeout(check,wait);document.getElementById('retry').addEventListener('click',function(){location.reload()})})();`;
    return c.html(
      `<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="theme-color" content="${THEME}"><title>TaxiWatch</title>${css}</head>` +
        `<body class="offline-page"><header class="top-bar"><span class="brand"><span class="brand-product">TaxiWatch</span></span><span class="live-status live-reconnecting" role="status" data-state="reconnecting"><span class="live-dot" aria-hidden="true"></span>${t('live.reconnecting')}</span></header>` +
        `<main id="main"><section class="card"><h1 data-testid="offline-title">${t('install.offline')}</h1><p>${t('install.offlineText')}</p><button type="button" id="retry">${t('install.retry')}</button></section></main>` +
        `<script>${retry}</script></body></html>`,
      200,
      { 'cache-control': 'no-cache', 'content-security-policy': `default-src 'self'; script-src ${await scriptHash(retry)}; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'` },
    );
  });
}
