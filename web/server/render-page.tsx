/** Renders a page to a complete HTML response: the shell, the page's body, every island's server-side HTML. */
import type { Context } from 'hono';
import type { ComponentChildren } from 'preact';
import { renderToString } from 'preact-render-to-string';
import type { AppEnv } from '../../edge/app-env.ts';
import { mapTiles } from '../../edge/config.ts';
import type { Platform } from '../../edge/platform.ts';
import { messagesFor } from '../i18n/messages.ts';
import { I18nContext } from '../islands/use-i18n.ts';
import { Layout, type Section } from './layout.tsx';
import type { PageContext } from './page-context.ts';
import type { WebManifest } from './web-assets.ts';

export interface RenderInput {
  ctx: PageContext;
  section: Section;
  title: string;
  body: ComponentChildren;
  manifest: WebManifest | null;
  unread: number;
  status?: 200 | 400 | 403 | 404 | 500 | 503;
}

/** This page's URL without ?lang=, so the language links keep everything else. */
function pathWithoutLang(c: Context<AppEnv>): string {
  const url = new URL(c.req.url);
  url.searchParams.delete('lang');
  return url.pathname + (url.search || '');
}

export function renderPage(c: Context<AppEnv>, platform: Platform, input: RenderInput): Response {
  const { ctx } = input;
  const html = renderToString(
    <I18nContext.Provider value={ctx.i18n}>
      <Layout
        ctx={ctx}
        section={input.section}
        title={input.title}
        manifest={input.manifest}
        messages={messagesFor(ctx.i18n.lang)}
        unread={input.unread}
        path={pathWithoutLang(c)}
        boot={{ live: ctx.principal !== null, ...mapTiles(platform.config), serverTime: new Date(ctx.now()).toISOString() }}
      >
        {input.body}
      </Layout>
    </I18nContext.Provider>,
  );
  c.header('Cache-Control', 'no-store');
  c.header('Vary', 'Cookie, Accept-Language');
  return c.html(`<!doctype html>${html}`, input.status ?? 200);
}
