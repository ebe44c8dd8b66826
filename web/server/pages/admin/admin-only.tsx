/**
 * The admin console is for platform admins (role admin, no fleet): anyone else gets a 403 page, like the admin API
 * answers them, instead of a console full of errors.
 */
import type { PageContext } from '../../page-context.ts';
import type { PageHandler, PageResult } from '../../register-web.ts';

// The same test as the admin API (routes/metrics.ts requirePlatformAdmin): a person with the admin role, not an API key.
export const isPlatformAdmin = (ctx: PageContext) => ctx.principal?.role === 'admin' && !ctx.principal.apiKey;

function forbidden(ctx: PageContext): PageResult {
  return {
    title: ctx.i18n.t('error.title'),
    status: 403,
    body: (
      <section class="card">
        <h1>{ctx.i18n.t('error.title')}</h1>
        <p role="alert">{ctx.i18n.t('admin.forbidden')}</p>
      </section>
    ),
  };
}

export const adminOnly =
  (handler: PageHandler): PageHandler =>
  async (c, ctx) =>
    isPlatformAdmin(ctx) ? handler(c, ctx) : forbidden(ctx);

/** Every fleet's id → name (admins see them all), for labels and filters. */
export async function fleetNames(ctx: PageContext, max = 2000): Promise<Array<{ id: string; name: string }>> {
  const out: Array<{ id: string; name: string }> = [];
  let cursor: string | null = null;
  do {
    const page: { data: Array<{ id: string; name: string }>; next_cursor: string | null } = await ctx.api(`/api/v1/fleets?limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    out.push(...page.data.map((f) => ({ id: f.id, name: f.name })));
    cursor = page.next_cursor;
  } while (cursor && out.length < max);
  return out;
}
