/**
 * The web app's routes: server-rendered pages (owner app) and the built assets. Pages need a browser session and
 * send everyone else to /login; they read data through the REST API as the signed-in user.
 */
import type { Context, Hono } from 'hono';
import type { ComponentChildren } from 'preact';
import type { AppEnv } from '../../edge/app-env.ts';
import type { Platform } from '../../edge/platform.ts';
import type { AssetReader } from '../../edge/ports/assets.ts';
import type { Section } from './layout.tsx';
import { ApiReadError, pageContext, safeNext, type PageContext } from './page-context.ts';
import { alertsPage } from './pages/alerts-page.tsx';
import { errorPage } from './pages/error-page.tsx';
import { incidentPage } from './pages/incident-page.tsx';
import { incidentsPage } from './pages/incidents-page.tsx';
import { loginPage } from './pages/login-page.tsx';
import { mapPage } from './pages/map-page.tsx';
import { settingsPage } from './pages/settings-page.tsx';
import { placeholderPage } from './pages/placeholder-page.tsx';
import { reportsPage } from './pages/reports-page.tsx';
import { assistantPage } from './pages/assistant-page.tsx';
import { driversPage, tripsPage, vehiclesPage } from './pages/table-pages.tsx';
import { devicesPage } from './pages/devices-page.tsx';
import { leaderboardPage, scorecardPage } from './pages/scores-page.tsx';
import { tripPage } from './pages/trip-page.tsx';
import { adminDevicesPage } from './pages/admin/devices-page.tsx';
import { adminFleetsPage } from './pages/admin/fleets-page.tsx';
import { adminLivePage } from './pages/admin/live-page.tsx';
import { adminSystemPage } from './pages/admin/system-page.tsx';
import { renderPage } from './render-page.tsx';
import { registerInstallRoutes } from './install-routes.ts';
import { createWebAssets } from './web-assets.ts';

export interface WebOptions {
  /** Where the built files are read from (web/dist on disk, the Workers assets binding); none = pages without scripts. */
  assets?: AssetReader;
}

/** What a page handler returns: its title and body, or a ready response (a redirect). */
export type PageResult = { title: string; body: ComponentChildren; status?: 200 | 400 | 403 | 404 | 503 } | Response;
export type PageHandler = (c: Context<AppEnv>, ctx: PageContext) => Promise<PageResult>;

export function registerWeb(app: Hono<AppEnv>, platform: Platform, options: WebOptions = {}) {
  const assets = createWebAssets(options.assets);

  app.get('/assets/:file', async (c) => (await assets.response(c.req.param('file'))) ?? c.text('not found', 404));
  registerInstallRoutes(app, assets);

  const page =
    (section: Section, handler: PageHandler, { public: isPublic = false } = {}) =>
    async (c: Context<AppEnv>) => {
      const ctx = await pageContext(c, app, platform);
      if (!isPublic && !ctx.principal)
        return c.redirect(`/login?next=${encodeURIComponent(c.req.path + (new URL(c.req.url).search || ''))}`, 302);
      const manifest = await assets.manifest();
      let unread = 0;
      let result: PageResult;
      try {
        if (ctx.principal)
          unread = (await ctx.api<{ data: unknown[] }>('/api/v1/alerts?unread=true&limit=100')).data.length;
        result = await handler(c, ctx);
      } catch (error) {
        if (!(error instanceof ApiReadError)) throw error;
        result = errorPage(ctx, error);
      }
      if (result instanceof Response) return result;
      return renderPage(c, platform, {
        ctx,
        section,
        manifest,
        unread,
        title: result.title,
        body: result.body,
        status: result.status,
      });
    };

  app.get('/', (c) => c.redirect('/map', 302));
  app.get('/login', page('login', loginPage, { public: true }));
  app.get('/map', page('map', mapPage));
  app.get('/alerts', page('alerts', alertsPage));
  app.get('/incidents', page('incidents', incidentsPage));
  app.get('/incidents/:id', page('incidents', incidentPage));
  app.get('/trips', page('trips', tripsPage));
  app.get('/trips/:id', page('trips', tripPage));
  app.get('/vehicles', page('vehicles', vehiclesPage));
  app.get('/drivers', page('drivers', driversPage));
  app.get('/drivers/:id', page('drivers', scorecardPage));
  app.get('/scores', page('drivers', leaderboardPage));
  app.get('/devices', page('devices', devicesPage));
  app.get('/settings', page('settings', settingsPage));
  app.get('/reports', page('reports', reportsPage));
  app.get('/assistant', page('assistant', assistantPage));
  app.get('/admin', page('admin', adminSystemPage));
  app.get('/admin/live', page('admin-live', adminLivePage));
  app.get('/admin/fleets', page('admin-fleets', adminFleetsPage));
  app.get('/admin/devices', page('admin-devices', adminDevicesPage));
}

export { safeNext };
